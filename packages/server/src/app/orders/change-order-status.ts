import { type Result, fail, ok } from '../../domain/errors.js';
import {
  type OrderStatus,
  REFILLABLE_ORDER_STATUSES,
  canTransition,
  isFinalOrderStatus,
  isOneOf,
  orderStatusLabel,
} from '../../domain/order-status.js';
import { type Refund, clampRemains, refundFor } from '../../domain/refunds.js';
import { resolveCancelRequest } from '../../store/cancel-requests.js';
import type { Queryable } from '../../store/database.js';
import { postLedgerEntry } from '../../store/ledger.js';
import { type OrderOrDripfeed, updateOrderStatus as compareAndSetStatus } from '../../store/orders.js';
import type { Context } from '../context.js';
import { notifyOrderUpdated } from '../webhooks/notify-order-updated.js';

export interface StatusMove {
  readonly to: OrderStatus;
  readonly startCount?: number | undefined;
  readonly remains?: number | undefined;
}

export interface AppliedStatusMove {
  readonly from: OrderStatus;
  readonly to: OrderStatus;
  readonly remains: number;
  readonly refund: Refund | null;
}

/**
 * Moves an order to `to` inside the caller's transaction: the one path every status change takes
 * (the admin, a customer's cancel, a drip-feed parent following its runs). Compare-and-set on the
 * old status; Partial and Canceled post their refund in the same transaction, keyed by the order,
 * so it can never be posted twice; a final status closes the order's pending cancel request.
 * Completed always leaves remains 0: a move to Completed with other remains is refused.
 */
export async function changeOrderStatus(
  tx: Queryable,
  ctx: Context,
  order: OrderOrDripfeed,
  move: StatusMove,
): Promise<Result<AppliedStatusMove>> {
  const { to } = move;
  const from = order.status;
  // Completed means delivered in full: anything short of it is Partial (which refunds the rest).
  if (to === 'completed' && move.remains !== undefined && move.remains !== 0) {
    return fail({
      code: 'INVALID_INPUT',
      field: 'remains',
      reason: 'Completed means remains 0; use Partial',
    });
  }
  const refused = () =>
    fail<AppliedStatusMove>({
      code: 'INVALID_TRANSITION',
      from: orderStatusLabel(from),
      to: orderStatusLabel(to),
    });
  if (!canTransition(from, to)) return refused();
  const now = ctx.clock.now();
  const id = order.id;
  const totalQuantity = order.quantity * (order.runs ?? 1);
  const remains = to === 'completed' ? 0 : clampRemains(move.remains ?? order.remains, totalQuantity);
  const refund = refundFor(
    { id, charge: order.charge, refunded: order.refunded, totalQuantity },
    to,
    remains,
  );
  const startCount = move.startCount ?? order.startCount;
  const refunded = order.refunded + (refund?.amount ?? 0n);
  const changed = await compareAndSetStatus(tx, {
    id,
    from,
    to,
    startCount,
    remains,
    refunded,
    activeLink: isFinalOrderStatus(to) ? null : order.activeLink,
    // Ended with something delivered: the refill window counts from here.
    completedAt: isOneOf(REFILLABLE_ORDER_STATUSES, to) ? now : null,
    now,
  });
  if (!changed) return refused();
  if (refund) {
    const posting = await postLedgerEntry(tx, {
      userId: order.userId,
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
  if (isFinalOrderStatus(to)) {
    await resolveCancelRequest(tx, id, to === 'completed' ? 'rejected' : 'done', now);
  }
  // The customer's webhooks hear of it in this same transaction (the outbox).
  await notifyOrderUpdated(tx, ctx, order, { status: to, startCount, remains, refunded });
  return ok({ from, to, remains, refund });
}
