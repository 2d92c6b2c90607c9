import { type Result, fail, ok } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import { isOpenSubscription, subscriptionStatusLabel } from '../../domain/order-status.js';
import {
  type RandomSource,
  postAllowance,
  postingTermsOf,
  randomPostQuantity,
  statusAfterPosting,
  takesMorePosts,
} from '../../domain/subscriptions.js';
import { findOrder } from '../../store/orders.js';
import { lockSubscription, updateSubscriptionPosting } from '../../store/subscriptions.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { type OrderRecord, orderRecord } from '../orders/order-record.js';
import { createPostOrder, readPostingState, savePostingState } from './create-post-order.js';

export interface RecordPostInput {
  readonly subscriptionId: number;
  /** The child order's quantity; a random one within the subscription's min..max when not given. */
  readonly quantity?: number | undefined;
}

/**
 * The owner records a new post of a manual subscription: in one transaction, a child order for
 * it is created and charged. When the balance cannot pay it, nothing is created or charged, the
 * subscription is paused with the post waiting (the dispatcher creates it once funds arrive), and
 * the answer is a failure that says so.
 */
export async function recordPost(
  ctx: Context,
  input: RecordPostInput,
  random: RandomSource = Math.random,
): Promise<Result<OrderRecord>> {
  const { subscriptionId: id, quantity: given } = input;
  if (given !== undefined && (!Number.isSafeInteger(given) || given < 1)) {
    return fail({ code: 'INVALID_INPUT', field: 'quantity', reason: 'a whole number of at least 1' });
  }
  return ctx.db.transaction(async (tx): Promise<Result<OrderRecord>> => {
    const now = ctx.clock.now();
    const subscription = await lockSubscription(tx, id);
    if (!subscription) return fail({ code: 'ORDER_NOT_FOUND', id });
    if (subscription.kind !== 'subscription') {
      return fail({ code: 'INVALID_INPUT', field: 'order', reason: `${id} is not a subscription` });
    }
    if (subscription.providerId !== null) {
      return fail({
        code: 'INVALID_INPUT',
        field: 'subscription',
        reason: `${id} is forwarded to a provider: its posts are read from there`,
      });
    }
    const { status } = subscription;
    if (!isOpenSubscription(status)) {
      return fail({ code: 'SUBSCRIPTION_FINISHED', id, status: subscriptionStatusLabel(status) });
    }
    if (subscription.expiresAt !== null && subscription.expiresAt <= now) {
      // Its expiry passed before the expiry job came by: expire it now (committed with this answer).
      const { unpaidPosts } = subscription;
      const expired = await updateSubscriptionPosting(tx, {
        id,
        from: { status, unpaidPosts },
        to: { status: 'expired', unpaidPosts },
        completedAt: null,
        now,
      });
      if (!expired) throw new Error(`subscription ${id} changed while this transaction held it`);
      return fail({ code: 'SUBSCRIPTION_FINISHED', id, status: subscriptionStatusLabel('expired') });
    }

    const terms = postingTermsOf(subscription.details);
    const quantity = given ?? randomPostQuantity(terms, random);
    if (quantity < terms.min || quantity > terms.max) {
      return fail({
        code: 'INVALID_INPUT',
        field: 'quantity',
        reason: `between ${terms.min} and ${terms.max} (the subscription's min and max), got ${quantity}`,
      });
    }
    const state = await readPostingState(tx, subscription, status);
    if (!takesMorePosts(terms, state.counts)) {
      return fail({
        code: 'INVALID_INPUT',
        field: 'subscription',
        reason: `all ${postAllowance(terms)} of its posts are recorded (${state.counts.unpaid} wait for funds)`,
      });
    }

    const outcome = await createPostOrder(tx, ctx, state, state.lastRun + 1, quantity, now);
    const counts = outcome.paid
      ? { created: state.counts.created + 1, unpaid: state.counts.unpaid }
      : { created: state.counts.created, unpaid: state.counts.unpaid + 1 };
    const next = statusAfterPosting(status, terms, counts, !outcome.paid);
    await savePostingState(tx, state, { status: next, unpaid: counts.unpaid }, now);
    await recordAudit(tx, ctx, 'subscription.post', `order:${id}`, {
      post: outcome.paid ? state.lastRun + 1 : null,
      child: outcome.paid ? outcome.childId : null,
      quantity,
      charge: outcome.paid ? formatMoney(outcome.charge) : null,
      status: subscriptionStatusLabel(next),
      unpaidPosts: counts.unpaid,
    });
    if (!outcome.paid) {
      return fail({
        code: 'SUBSCRIPTION_PAUSED',
        id,
        charge: formatMoney(outcome.charge),
        balance: formatMoney(outcome.balance),
      });
    }
    const child = await findOrder(tx, outcome.childId);
    if (!child) throw new Error(`post order ${outcome.childId} vanished`);
    return ok(orderRecord(child));
  });
}
