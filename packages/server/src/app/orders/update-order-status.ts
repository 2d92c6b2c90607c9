import { type Result, fail, ok } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import { orderStatusLabel, parseOrderStatus } from '../../domain/order-status.js';
import { findOrder, lockOrderRow } from '../../store/orders.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { changeOrderStatus } from './change-order-status.js';
import { type OrderRecord, orderRecord } from './order-record.js';
import { settleDripfeedParent } from './settle-dripfeed-parent.js';

export interface OrderStatusUpdate {
  readonly orderId: number;
  readonly status: string;
  readonly startCount?: number | undefined;
  readonly remains?: number | undefined;
}

/**
 * The owner moves a manual order along. Partial and Canceled post their refund in the same
 * transaction as the status change, keyed by the order so it can never be posted twice.
 */
export async function updateOrderStatus(
  ctx: Context,
  update: OrderStatusUpdate,
): Promise<Result<OrderRecord>> {
  const to = parseOrderStatus(update.status);
  if (to === null) {
    return fail({
      code: 'INVALID_INPUT',
      field: 'status',
      reason: 'In progress, Processing, Completed, Partial or Canceled',
    });
  }
  for (const [field, value] of [
    ['start-count', update.startCount],
    ['remains', update.remains],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      return fail({ code: 'INVALID_INPUT', field, reason: 'a whole number, 0 or more' });
    }
  }
  return ctx.db.transaction(async (tx): Promise<Result<OrderRecord>> => {
    const order = await findOrder(tx, update.orderId);
    if (!order) return fail({ code: 'ORDER_NOT_FOUND', id: update.orderId });
    if (order.kind === 'subscription') {
      return fail({
        code: 'INVALID_INPUT',
        field: 'order',
        reason: 'a subscription has statuses of its own',
      });
    }
    if (order.kind === 'dripfeed') {
      return fail({
        code: 'INVALID_INPUT',
        field: 'order',
        reason: "a drip-feed order's status follows its runs; update a run instead",
      });
    }
    const { id, parentId } = order;
    // A drip-feed run: its parent is locked first (as everyone locks them) and follows the run.
    if (parentId !== null) await lockOrderRow(tx, parentId);
    const moved = await changeOrderStatus(tx, ctx, order, {
      to,
      startCount: update.startCount,
      remains: update.remains,
    });
    if (!moved.ok) return moved;
    if (parentId !== null) await settleDripfeedParent(tx, ctx, parentId);
    const { from, remains, refund } = moved.value;
    await recordAudit(tx, ctx, 'order.status', `order:${id}`, {
      from: orderStatusLabel(from),
      to: orderStatusLabel(to),
      startCount: update.startCount ?? null,
      remains,
      refund: refund ? formatMoney(refund.amount) : null,
    });
    const updated = await findOrder(tx, id);
    return ok(orderRecord(updated!));
  });
}
