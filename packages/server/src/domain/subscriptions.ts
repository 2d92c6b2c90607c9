import { type OpenSubscriptionStatus, canTransitionSubscription } from './order-status.js';

export {
  OPEN_SUBSCRIPTION_STATUSES,
  type OpenSubscriptionStatus,
  isOpenSubscription,
} from './order-status.js';

/** Numbers in [0, 1), as `Math.random` gives; tests pass a fixed sequence so quantities are exact. */
export type RandomSource = () => number;

/**
 * The most old posts one `add` may ask for (`Incorrect old_posts` above it): each is a child order
 * the worker creates and charges, so the number is bounded where it enters.
 */
export const MAX_OLD_POSTS = 1000;

/** What posting needs from the terms `add` stored in the subscription's details. */
export interface PostingTerms {
  /** Whose posts are served: each child order's link. */
  readonly username: string;
  /** Quantity bounds of each child order. */
  readonly min: number;
  readonly max: number;
  /** Limit on new posts; null = unlimited. Old posts come on top of it. */
  readonly posts: number | null;
  readonly oldPosts: number;
}

const count = (value: unknown, fallback: number | null): number | null =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fallback;

/** Reads the terms back from the details JSON `placeOrder` wrote (trusted: it validated them). */
export function postingTermsOf(details: string): PostingTerms {
  const raw = JSON.parse(details) as Record<string, unknown>;
  const min = count(raw.min, null);
  const max = count(raw.max, null);
  if (min === null || max === null || min < 1 || max < min) {
    throw new Error(`subscription details without valid min/max: ${details}`);
  }
  if (typeof raw.username !== 'string') throw new Error(`subscription details without username: ${details}`);
  return {
    username: raw.username,
    min,
    max,
    posts: count(raw.posts, null),
    oldPosts: count(raw.oldPosts, 0) ?? 0,
  };
}

/** The expiry date (ISO, YYYY-MM-DD) as epoch ms of its start, UTC: the subscription ends then. */
export function expiryStartMs(isoDate: string): number {
  const ms = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO date: ${isoDate}`);
  return ms;
}

/** A whole quantity in min..max, each equally likely. */
export function randomPostQuantity(terms: Pick<PostingTerms, 'min' | 'max'>, random: RandomSource): number {
  const span = terms.max - terms.min + 1;
  const offset = Math.floor(random() * span);
  return Math.min(Math.max(terms.min + offset, terms.min), terms.max);
}

/** Posts with a child order, and posts recorded (or asked for as old posts) still waiting for one. */
export interface PostCounts {
  readonly created: number;
  readonly unpaid: number;
}

/** Every post the subscription will ever get: its old posts plus the `posts` limit; null = no end. */
export function postAllowance(terms: PostingTerms): number | null {
  return terms.posts === null ? null : terms.oldPosts + terms.posts;
}

/** Whether another new post may be recorded: not when every allowed post is created or waiting. */
export function takesMorePosts(terms: PostingTerms, counts: PostCounts): boolean {
  const allowance = postAllowance(terms);
  return allowance === null || counts.created + counts.unpaid < allowance;
}

/**
 * The status after posts were created (or one could not be paid): Completed once every allowed
 * post has its child, Paused while a post waits for funds, Active again once none does.
 */
export function statusAfterPosting(
  current: OpenSubscriptionStatus,
  terms: PostingTerms,
  counts: PostCounts,
  paymentFailed: boolean,
): OpenSubscriptionStatus | 'completed' {
  const allowance = postAllowance(terms);
  const next =
    allowance !== null && counts.created >= allowance
      ? 'completed'
      : paymentFailed
        ? 'paused'
        : counts.unpaid === 0
          ? 'active'
          : current;
  if (next !== current && !canTransitionSubscription(current, next)) {
    throw new Error(`subscription cannot go from ${current} to ${next}`);
  }
  return next;
}
