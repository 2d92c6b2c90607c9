import { isHandedOver, isNotYetHandedOver } from '../../domain/dispatch.js';
import { type Failure, type Result, ok } from '../../domain/errors.js';
import { parseIdList, validIds } from '../../domain/id-list.js';
import { cancelRefusal } from '../../domain/lifecycle-rules.js';
import { canTransitionSubscription, isFinalOrderStatus } from '../../domain/order-status.js';
import { findCancelRequest, findCancelTarget, insertCancelRequest } from '../../store/cancel-requests.js';
import type { Queryable } from '../../store/database.js';
import { findDripfeedRuns, stopDripfeedRuns } from '../../store/dripfeed.js';
import {
  type Order,
  type OrderOrDripfeed,
  type SubscriptionOrder,
  findOrder,
  lockOrderRow,
} from '../../store/orders.js';
import { cancelSubscriptionRow, findPendingPosts } from '../../store/subscriptions.js';
import type { Context } from '../context.js';
import { changeOrderStatus } from './change-order-status.js';
import { settleDripfeedParent } from './settle-dripfeed-parent.js';

export interface CancelInput {
  readonly userId: number;
  /** `orders`: comma-separated, up to 100. Wins over `order`. */
  readonly orders?: string | undefined;
  /** `order` alone, read as a one-item list. */
  readonly order?: string | undefined;
}

/** One entry per distinct requested id (by value), in request order: accepted (failure null) or refused. */
export interface CancelOutcome {
  readonly key: string;
  readonly id: number | null;
  readonly failure: Failure | null;
}

const INCORRECT_ORDER_ID: Failure = { code: 'INCORRECT_ORDER_ID' };
const CANNOT_CANCEL: Failure = { code: 'CANNOT_CANCEL' };

/**
 * `cancel`: for each of the caller's orders, an order not yet handed to fulfilment is canceled and
 * fully refunded at once; one already being fulfilled gets a cancel request (one per order, asking
 * again answers the same) and its refund follows the final status the admin sets. A drip-feed
 * parent stops creating runs, its pending runs are canceled at once, and it is settled (refunding
 * what was not delivered) when its last open run finishes. A subscription is canceled at once, its
 * waiting posts dropped and its pending posts canceled and refunded.
 */
export async function cancelOrders(ctx: Context, input: CancelInput): Promise<Result<CancelOutcome[]>> {
  // The answer shows each order as a number: "7" and "07" are one order, answered once.
  const list = parseIdList(input.orders ?? input.order, true);
  if (!list.ok) return list;
  const entries = list.value;
  const ids = validIds(entries);
  // One transaction per order: a refusal or a lost race on one never holds up the others.
  const outcomes = new Map<number, Failure | null>();
  await Promise.all(
    ids.map(async (id) => {
      outcomes.set(id, await ctx.db.transaction((tx) => cancelOne(tx, ctx, input.userId, id)));
    }),
  );
  return ok(
    entries.map(({ key, id }) => ({
      key,
      id,
      // null is an accepted cancel: only an id never looked up reads as unknown.
      failure: id === null || !outcomes.has(id) ? INCORRECT_ORDER_ID : outcomes.get(id)!,
    })),
  );
}

async function cancelOne(tx: Queryable, ctx: Context, userId: number, id: number): Promise<Failure | null> {
  const seen = await findCancelTarget(tx, id, userId, { lock: false });
  if (!seen) return INCORRECT_ORDER_ID;
  // A drip-feed run's parent is locked before the run, as everyone does.
  if (seen.parentId !== null) await lockOrderRow(tx, seen.parentId);
  const target = await findCancelTarget(tx, id, userId, { lock: true });
  if (!target) return INCORRECT_ORDER_ID;
  const refusal = cancelRefusal(target);
  if (refusal) return refusal;
  const order = await findOrder(tx, id);
  if (!order) throw new Error(`order ${id} vanished under its lock`);
  switch (order.kind) {
    case 'subscription':
      return cancelSubscription(tx, ctx, order);
    case 'dripfeed':
      return cancelDripfeed(tx, ctx, order);
    case 'order':
      return cancelOrder(tx, ctx, order);
  }
}

async function cancelOrder(tx: Queryable, ctx: Context, order: OrderOrDripfeed): Promise<Failure | null> {
  if (isNotYetHandedOver(order)) {
    const moved = await changeOrderStatus(tx, ctx, order, { to: 'canceled' });
    if (!moved.ok) return CANNOT_CANCEL;
    if (order.parentId !== null) await settleDripfeedParent(tx, ctx, order.parentId);
    return null;
  }
  return requestCancel(tx, ctx, order);
}

/** Records the order's one cancel request; asking again while it is pending is answered the same. */
async function requestCancel(tx: Queryable, ctx: Context, order: Order): Promise<Failure | null> {
  const recorded = await insertCancelRequest(tx, {
    orderId: order.id,
    userId: order.userId,
    now: ctx.clock.now(),
  });
  if (recorded) return null;
  const existing = await findCancelRequest(tx, order.id);
  // Rejected: the admin already decided this order goes on.
  return existing?.status === 'pending' ? null : CANNOT_CANCEL;
}

/** A run or a post is an ordinary order; anything else under a parent is a corrupt row. */
function ordinaryOrder(order: Order | undefined, parentId: number): OrderOrDripfeed | undefined {
  if (order?.kind === 'subscription')
    throw new Error(`order #${order.id} under #${parentId} is a subscription`);
  return order;
}

async function cancelDripfeed(tx: Queryable, ctx: Context, parent: OrderOrDripfeed): Promise<Failure | null> {
  const parentId = parent.id;
  // The request is also what marks the parent stopped (see settleDripfeedParent).
  const refused = await requestCancel(tx, ctx, parent);
  if (refused) return refused;
  await stopDripfeedRuns(tx, parentId, ctx.clock.now());
  for (const run of await findDripfeedRuns(tx, parentId)) {
    const order = ordinaryOrder(await findOrder(tx, run.id), parentId);
    if (order && isNotYetHandedOver(order)) {
      const moved = await changeOrderStatus(tx, ctx, order, { to: 'canceled' });
      if (!moved.ok) throw new Error(`run #${run.id} of locked drip-feed #${parentId} could not be canceled`);
    } else if (order && !isFinalOrderStatus(order.status) && isHandedOver(order.dispatchState)) {
      // A run its provider has: the cancel is forwarded; the run ends as the provider says.
      await insertCancelRequest(tx, { orderId: order.id, userId: order.userId, now: ctx.clock.now() });
    }
  }
  await settleDripfeedParent(tx, ctx, parentId);
  return null;
}

async function cancelSubscription(
  tx: Queryable,
  ctx: Context,
  order: SubscriptionOrder,
): Promise<Failure | null> {
  const { id, status: from } = order;
  if (!canTransitionSubscription(from, 'canceled')) return CANNOT_CANCEL;
  // Its row is held (findCancelTarget), so no post is created meanwhile; waiting posts are dropped.
  const now = ctx.clock.now();
  if (!(await cancelSubscriptionRow(tx, id, from, now))) return CANNOT_CANCEL;
  // A forwarded subscription is canceled at its provider too (queued for the worker).
  if (order.providerId !== null && isHandedOver(order.dispatchState))
    await insertCancelRequest(tx, { orderId: id, userId: order.userId, now });
  // Posts not yet handed to fulfilment are canceled and refunded like any such order; the others
  // keep going (each can be canceled on its own). Whoever changes a post locks this row first.
  for (const found of await findPendingPosts(tx, id)) {
    const post = ordinaryOrder(found, id);
    if (!post || !isNotYetHandedOver(post)) continue;
    const moved = await changeOrderStatus(tx, ctx, post, { to: 'canceled' });
    if (!moved.ok) throw new Error(`post #${post.id} of locked subscription #${id} could not be canceled`);
  }
  return null;
}
