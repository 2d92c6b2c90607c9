import { type Result, fail, ok } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import {
  type OrderStatus,
  canTransition,
  isFinalOrderStatus,
  orderStatusLabel,
  parseOrderStatus,
} from '../../domain/order-status.js';
import { clampRemains, refundFor } from '../../domain/refunds.js';
import { postLedgerEntry } from '../../store/ledger.js';
import { findOrder, updateOrderStatus as compareAndSetStatus } from '../../store/orders.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { type OrderRecord, orderRecord } from './order-record.js';

export interface OrderStatusUpdate {
  readonly orderId: number;
  readonly status: string;
  readonly startCount?: number | undefined;
  readonly remains?: number | undefined;
}

function defaultRemains(to: OrderStatus, current: number): number {
  return to === 'completed' ? 0 : current;
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
    const from = order.status as OrderStatus;
    if (!canTransition(from, to)) {
      return fail({ code: 'INVALID_TRANSITION', from: orderStatusLabel(from), to: orderStatusLabel(to) });
    }
    const now = ctx.clock.now();
    const id = Number(order.id);
    const totalQuantity = Number(order.quantity) * Number(order.runs ?? 1n);
    const remains = clampRemains(update.remains ?? defaultRemains(to, Number(order.remains)), totalQuantity);
    const refund = refundFor(
      { id, charge: order.charge, refunded: order.refunded, totalQuantity },
      to,
      remains,
    );
    const changed = await compareAndSetStatus(tx, {
      id,
      from,
      to,
      startCount: update.startCount ?? Number(order.start_count),
      remains,
      refunded: order.refunded + (refund?.amount ?? 0n),
      activeLink: isFinalOrderStatus(to) ? null : order.active_link,
      completedAt: to === 'completed' || to === 'partial' ? now : null,
      now,
    });
    if (!changed)
      return fail({ code: 'INVALID_TRANSITION', from: orderStatusLabel(from), to: orderStatusLabel(to) });
    if (refund) {
      const posting = await postLedgerEntry(tx, {
        userId: Number(order.user_id),
        amount: refund.amount,
        kind: 'refund',
        entryKey: refund.entryKey,
        orderId: id,
        memo: refund.reason,
        now,
      });
      if (posting.status !== 'posted')
        throw new Error(`refund ${refund.entryKey} could not be posted: ${posting.status}`);
    }
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
