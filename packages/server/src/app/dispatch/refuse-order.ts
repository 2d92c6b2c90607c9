import type { Result } from '../../domain/errors.js';
import { canTransitionSubscription } from '../../domain/order-status.js';
import type { Queryable } from '../../store/database.js';
import { markRefused } from '../../store/dispatch-claims.js';
import { type Order, findOrder, lockOrderRow } from '../../store/orders.js';
import { cancelSubscriptionRow } from '../../store/subscriptions.js';
import type { Context } from '../context.js';
import { type AppliedStatusMove, changeOrderStatus } from '../orders/change-order-status.js';
import { settleDripfeedParent } from '../orders/settle-dripfeed-parent.js';

/**
 * The provider refused the order: it is canceled and refunded in full (a drip-feed run settles its
 * parent; a subscription simply ends, its posts are charged one by one). Compare-and-set on
 * `submitting`: if anything else settled the order first, this does nothing.
 */
export async function refuseOrder(
  tx: Queryable,
  ctx: Context,
  claimed: { readonly id: number; readonly parentId: number | null },
  reason: string,
): Promise<void> {
  const { id } = claimed;
  if (claimed.parentId !== null) await lockOrderRow(tx, claimed.parentId);
  await lockOrderRow(tx, id);
  if (!(await markRefused(tx, { id, from: 'submitting', reason, now: ctx.clock.now() }))) return;
  const order = await findOrder(tx, id);
  if (!order) throw new Error(`order ${id} vanished`);
  const canceled = await cancelRefusedOrder(tx, ctx, order);
  if (!canceled.ok) throw new Error(`refused order ${id} could not be canceled from ${order.status}`);
}

/**
 * Cancels an order its dispatch just marked refused (by the provider, or by the owner from the
 * review list), in the caller's transaction, which holds its parent's row and its own: an order is
 * canceled and refunded and a drip-feed run settles its parent; a subscription ends. A failure: the
 * order was settled meanwhile (its status is final).
 */
export async function cancelRefusedOrder(
  tx: Queryable,
  ctx: Context,
  order: Order,
): Promise<Result<AppliedStatusMove | null>> {
  if (order.kind === 'subscription') {
    if (canTransitionSubscription(order.status, 'canceled'))
      await cancelSubscriptionRow(tx, order.id, order.status, ctx.clock.now());
    return { ok: true, value: null };
  }
  const moved = await changeOrderStatus(tx, ctx, order, { to: 'canceled' });
  if (moved.ok && order.parentId !== null) await settleDripfeedParent(tx, ctx, order.parentId);
  return moved;
}
