import {
  type AnyOrderStatus,
  type ItemError,
  type OrderStatuses,
  isItemError,
  isSubscriptionStatus,
} from '@smmkit/client';
import { divideRounded, parseMoney } from '../../domain/money.js';
import {
  canTransitionSubscription,
  isFinalSubscriptionStatus,
  isOpenSubscription,
} from '../../domain/order-status.js';
import {
  readProviderCount,
  readProviderOrderStatus,
  readProviderSubscriptionStatus,
} from '../../domain/provider-status.js';
import { insertCancelRequest } from '../../store/cancel-requests.js';
import type { Queryable } from '../../store/database.js';
import { stopSync } from '../../store/order-sync.js';
import type { SubscriptionOrder } from '../../store/orders.js';
import { findKnownProviderOrders, linkForwardedPost } from '../../store/provider-orders.js';
import { findProviderRate } from '../../store/services.js';
import { RATE_SCALE } from '../../domain/currency.js';
import type { RateTable } from '../../domain/currency.js';
import { providerConversion } from '../currencies/rate-table.js';
import {
  cancelSubscriptionRow,
  lockSubscription,
  updateSubscriptionPosting,
} from '../../store/subscriptions.js';
import type { Context } from '../context.js';
import { createPostOrder, readPostingState } from '../subscriptions/create-post-order.js';
import type { Provider } from '../../store/providers.js';
import { type ProviderGateway, callProvider, describeFailure } from './provider-gateway.js';

/** The most ids one `status` request may carry. */
const POSTS_PER_REQUEST = 100;

/**
 * The first status of each post a provider made for our forwarded subscriptions and that we have
 * not recorded yet, keyed by the provider's order id; null when they could not be read (the
 * subscriptions are then left for their next turn, so no post is ever missed).
 */
export type SubscriptionPosts = ReadonlyMap<string, AnyOrderStatus | ItemError> | null;

export async function readNewSubscriptionPosts(
  ctx: Context,
  gateway: ProviderGateway,
  provider: Provider,
  answers: OrderStatuses,
): Promise<SubscriptionPosts> {
  const postIds = Object.values(answers).flatMap((answer) =>
    !isItemError(answer) && isSubscriptionStatus(answer) ? answer.orders.map(String) : [],
  );
  if (postIds.length === 0) return new Map();
  const known = new Set(await findKnownProviderOrders(ctx.db, provider.id, postIds));
  const fresh = [...new Set(postIds.filter((id) => !known.has(id)))];
  const posts = new Map<string, AnyOrderStatus | ItemError>();
  try {
    for (let start = 0; start < fresh.length; start += POSTS_PER_REQUEST) {
      const ids = fresh.slice(start, start + POSTS_PER_REQUEST).map(Number);
      const answer = await callProvider(gateway, provider, 'status', (client) => client.statuses(ids));
      for (const [id, status] of Object.entries(answer)) posts.set(id, status);
    }
  } catch (error) {
    gateway.log.warn(
      { provider: provider.name, posts: fresh.length, reason: describeFailure(error) },
      'could not read new subscription posts; subscriptions kept for the next turn',
    );
    return null;
  }
  return posts;
}

/**
 * A forwarded subscription follows its provider: every post the provider made becomes a child
 * order here, charged to the customer when first seen (its quantity read back from the post's
 * first status), linked to the provider's order so that sync follows it like any order; then the
 * subscription takes the provider's status (Active, Paused, Completed, Expired, Canceled, read
 * defensively). A customer who cannot pay for a post has the subscription canceled here and at the
 * provider: no post is ever delivered on credit. The caller holds the subscription's row.
 * Resolves to true when its status changed.
 */
export async function applySubscriptionStatus(
  tx: Queryable,
  ctx: Context,
  gateway: ProviderGateway,
  provider: Provider,
  order: SubscriptionOrder,
  answer: AnyOrderStatus,
  posts: SubscriptionPosts,
  rates: RateTable,
): Promise<boolean> {
  const id = order.id;
  if (!isSubscriptionStatus(answer)) {
    gateway.log.warn(
      { order: id, provider: provider.name },
      'provider answered an order status for a subscription',
    );
    return false;
  }
  const from = order.status;
  if (isFinalSubscriptionStatus(from)) {
    await stopSync(tx, id);
    return false;
  }
  if (posts === null) return false;
  const now = ctx.clock.now();
  const paid = await recordNewPosts(
    tx,
    ctx,
    gateway,
    provider,
    order,
    answer.orders.map(String),
    posts,
    rates,
  );
  if (!paid) {
    await cancelSubscriptionRow(tx, id, from, now);
    await insertCancelRequest(tx, { orderId: id, userId: order.userId, now });
    return true;
  }
  const to = readProviderSubscriptionStatus(answer.status);
  if (to === null) {
    gateway.log.warn(
      { order: id, provider: provider.name, status: answer.status },
      'unknown provider status; subscription kept',
    );
    return false;
  }
  if (to === from || !canTransitionSubscription(from, to)) return false;
  // A forwarded subscription has no posts waiting here: its provider makes them (see placeOrder).
  const changed = await updateSubscriptionPosting(tx, {
    id,
    from: { status: from, unpaidPosts: 0 },
    to: { status: to, unpaidPosts: 0 },
    completedAt: to === 'completed' ? now : null,
    now,
  });
  if (changed && isFinalSubscriptionStatus(to)) await stopSync(tx, id);
  return changed;
}

/** Records the provider's new posts as charged child orders; false when the customer cannot pay one. */
async function recordNewPosts(
  tx: Queryable,
  ctx: Context,
  gateway: ProviderGateway,
  provider: Provider,
  order: SubscriptionOrder,
  postIds: readonly string[],
  posts: ReadonlyMap<string, AnyOrderStatus | ItemError>,
  rates: RateTable,
): Promise<boolean> {
  const id = order.id;
  const fresh = postIds.filter((postId) => posts.has(postId));
  if (fresh.length === 0) return true;
  const subscription = await lockSubscription(tx, id);
  if (subscription?.kind !== 'subscription' || !isOpenSubscription(subscription.status)) return true;
  const providerRate = (await findProviderRate(tx, order.serviceId)) ?? null;
  // The provider rate is kept in the panel's currency; its charges come in its own (the sync run's
  // rate table, read once per run).
  const conversion = providerConversion(rates, provider);
  const known = new Set(await findKnownProviderOrders(tx, provider.id, fresh));
  for (const postId of fresh) {
    if (known.has(postId)) continue;
    const first = posts.get(postId)!;
    if (isItemError(first) || isSubscriptionStatus(first)) {
      gateway.log.warn(
        { order: id, post: postId, provider: provider.name },
        'unreadable subscription post; skipped',
      );
      continue;
    }
    const state = await readPostingState(tx, subscription, subscription.status);
    const quantity = postQuantity(
      first,
      conversion.ok ? providerRate : null,
      state.terms,
      conversion.ok ? conversion.rate : RATE_SCALE,
    );
    const now = ctx.clock.now();
    const outcome = await createPostOrder(tx, ctx, state, state.lastRun + 1, quantity, now);
    if (!outcome.paid) {
      gateway.log.warn(
        { order: id, post: postId, provider: provider.name, charge: outcome.charge.toString() },
        'customer cannot pay a subscription post; canceling the subscription here and at the provider',
      );
      return false;
    }
    await linkForwardedPost(tx, {
      id: outcome.childId,
      providerId: provider.id,
      providerOrderId: postId,
      now,
    });
  }
  return true;
}

/**
 * A post's quantity from its first status: what remains of a post not yet started is its whole
 * quantity; otherwise it is read from what the provider charged at its own rate. Kept within the
 * subscription's min..max either way.
 */
export function postQuantity(
  first: AnyOrderStatus,
  providerRate: bigint | null,
  terms: { readonly min: number; readonly max: number },
  exchangeRate: bigint = RATE_SCALE,
): number {
  const clamp = (quantity: number) => Math.min(Math.max(quantity, terms.min), terms.max);
  if (isSubscriptionStatus(first)) return terms.max;
  const remains = readProviderCount(first.remains);
  if (readProviderOrderStatus(first.status) === 'pending' && remains !== null && remains > 0)
    return clamp(remains);
  const charge = parseMoney(first.charge);
  if (charge !== null && providerRate !== null && providerRate > 0n) {
    // charge (its currency) × exchange rate / provider rate (panel currency), per 1000, rounded down.
    return clamp(Number(divideRounded(charge * exchangeRate * 1000n, providerRate * RATE_SCALE, 'down')));
  }
  return terms.max;
}
