import { type Money, chargeForQuantity } from '../../domain/money.js';
import type { OpenSubscriptionStatus, SubscriptionStatus } from '../../domain/order-status.js';
import { type PostCounts, type PostingTerms, postingTermsOf } from '../../domain/subscriptions.js';
import type { Queryable } from '../../store/database.js';
import { insertOrder } from '../../store/orders.js';
import {
  type SubscriptionPosting,
  findPostCounts,
  lockBalance,
  updateSubscriptionPosting,
} from '../../store/subscriptions.js';
import type { Context } from '../context.js';
import { postBalanceChange } from '../funds/post-balance-change.js';
import { notifyOrderCreated } from '../webhooks/notify-order-updated.js';

/** A subscription whose row this transaction holds, with what posting needs to know. */
export interface PostingState {
  readonly id: number;
  readonly userId: number;
  readonly serviceId: number;
  readonly status: OpenSubscriptionStatus;
  readonly rate: Money;
  readonly terms: PostingTerms;
  readonly counts: PostCounts;
  /** The highest post number handed out so far; the next post is this + 1. */
  readonly lastRun: number;
}

/**
 * Reads the posting state of a locked, open subscription (its post counts under the lock). The
 * caller passes the status it found open, so the state's type says so.
 */
export async function readPostingState(
  tx: Queryable,
  subscription: SubscriptionPosting,
  status: OpenSubscriptionStatus,
): Promise<PostingState> {
  const { id } = subscription;
  const { created, lastRun } = await findPostCounts(tx, id);
  return {
    id,
    userId: subscription.userId,
    serviceId: subscription.serviceId,
    status,
    rate: subscription.rate,
    terms: postingTermsOf(subscription.details),
    counts: { created, unpaid: subscription.unpaidPosts },
    lastRun,
  };
}

export type PostOutcome =
  | { readonly paid: true; readonly childId: number; readonly charge: Money }
  | { readonly paid: false; readonly charge: Money; readonly balance: Money };

/**
 * Creates post `runNumber` of a subscription as a child order and charges it (`charge:<child>`),
 * or, when the balance (locked with the subscription) cannot pay it, creates nothing.
 */
export async function createPostOrder(
  tx: Queryable,
  ctx: Context,
  state: PostingState,
  runNumber: number,
  quantity: number,
  now: number,
): Promise<PostOutcome> {
  const charge = chargeForQuantity(state.rate, quantity);
  const balance = await lockBalance(tx, state.userId);
  if (balance < charge) return { paid: false, charge, balance };
  const childId = await insertOrder(tx, {
    userId: state.userId,
    serviceId: state.serviceId,
    kind: 'order',
    status: 'pending',
    parentId: state.id,
    link: state.terms.username,
    quantity,
    runs: null,
    intervalMinutes: null,
    details: '{}',
    rate: state.rate,
    charge,
    remains: quantity,
    activeLink: null,
    runNumber,
    now,
  });
  // Only the holder of the subscription's row numbers its posts: a clash is a fault, not a race lost.
  if (childId === null) throw new Error(`post ${runNumber} of subscription ${state.id} already exists`);
  if (charge > 0n) {
    const posting = await postBalanceChange(tx, ctx, {
      userId: state.userId,
      amount: -charge,
      kind: 'charge',
      entryKey: `charge:${childId}`,
      orderId: childId,
      memo: null,
      now,
    });
    if (posting.status !== 'posted')
      throw new Error(`charge:${childId} could not be posted: ${posting.status}`);
  }
  await notifyOrderCreated(tx, ctx, { userId: state.userId, orderId: childId });
  return { paid: true, childId, charge };
}

/** Saves a new status and unpaid count, compare-and-set on both; the caller holds the row. */
export async function savePostingState(
  tx: Queryable,
  before: PostingState,
  after: { readonly status: SubscriptionStatus; readonly unpaid: number },
  now: number,
): Promise<void> {
  if (after.status === before.status && after.unpaid === before.counts.unpaid) return;
  const saved = await updateSubscriptionPosting(tx, {
    id: before.id,
    from: { status: before.status, unpaidPosts: before.counts.unpaid },
    to: { status: after.status, unpaidPosts: after.unpaid },
    completedAt: after.status === 'completed' ? now : null,
    now,
  });
  if (!saved) throw new Error(`subscription ${before.id} changed while this transaction held it`);
}
