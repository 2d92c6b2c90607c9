import { isOpenSubscription } from '../../domain/order-status.js';
import { type RandomSource, randomPostQuantity, statusAfterPosting } from '../../domain/subscriptions.js';
import type { Queryable } from '../../store/database.js';
import { type SubscriptionPosting, claimSubscriptionWithUnpaidPosts } from '../../store/subscriptions.js';
import type { Context } from '../context.js';
import { createPostOrder, readPostingState, savePostingState } from './create-post-order.js';

/**
 * Posts one subscription gets per transaction: a longer backlog keeps its remaining unpaid posts
 * and continues at the next run, so no transaction holds the writer (SQLite) or the subscription's
 * and the balance's locks (PostgreSQL) for long.
 */
export const MAX_POSTS_PER_SUBSCRIPTION = 100;

/**
 * Worker job: creates and charges the child orders of posts that wait for one (old posts asked for
 * at `add`, posts that found the balance short), subscription by subscription, while the balance
 * pays, at most MAX_POSTS_PER_SUBSCRIPTION each per run. A subscription that cannot pay is paused;
 * one whose waiting posts are all paid is active again. Each subscription is handled in its own
 * transaction holding its row, so concurrent dispatchers (here or on other nodes) never create the
 * same post twice.
 */
export async function dispatchSubscriptionPosts(
  ctx: Context,
  options: { readonly random?: RandomSource } = {},
): Promise<{ created: number }> {
  const random = options.random ?? Math.random;
  let afterId = 0;
  let created = 0;
  for (;;) {
    const step = await ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      const subscription = await claimSubscriptionWithUnpaidPosts(tx, afterId, now);
      if (!subscription) return null;
      return { id: subscription.id, created: await payWaitingPosts(tx, ctx, subscription, random, now) };
    });
    if (!step) return { created };
    afterId = step.id;
    created += step.created;
  }
}

async function payWaitingPosts(
  tx: Queryable,
  ctx: Context,
  subscription: SubscriptionPosting,
  random: RandomSource,
  now: number,
): Promise<number> {
  // The claim only returns open subscriptions: anything else is a fault.
  if (subscription.kind !== 'subscription' || !isOpenSubscription(subscription.status))
    throw new Error(`claimed #${subscription.id} is not an open subscription`);
  const state = await readPostingState(tx, subscription, subscription.status);
  let { created, unpaid } = state.counts;
  let lastRun = state.lastRun;
  let paymentFailed = false;
  // What is left over stays in unpaid_posts (saved below): the next run's claim continues there.
  for (let batch = 0; unpaid > 0 && batch < MAX_POSTS_PER_SUBSCRIPTION; batch++) {
    const quantity = randomPostQuantity(state.terms, random);
    const outcome = await createPostOrder(tx, ctx, state, lastRun + 1, quantity, now);
    if (!outcome.paid) {
      paymentFailed = true;
      break;
    }
    lastRun++;
    created++;
    unpaid--;
  }
  const status = statusAfterPosting(state.status, state.terms, { created, unpaid }, paymentFailed);
  await savePostingState(tx, state, { status, unpaid }, now);
  return created - state.counts.created;
}
