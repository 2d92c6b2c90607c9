import { FailureSignal, type Result, fail, ok } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import { findOrder, lockOrderRow } from '../../store/orders.js';
import { leaveReview } from '../../store/order-review.js';
import { recordAudit } from '../audit.js';
import { transactOrRollBack } from '../rollback-on-failure.js';
import type { Context } from '../context.js';
import { changeOrderStatus } from './change-order-status.js';

/**
 * How an admin settles an order in the dispatch review list (its outcome at the provider unknown,
 * or refused): `retry` queues it for dispatch again, `manual` takes it out of provider dispatch to be
 * fulfilled and moved by hand, `cancel` cancels it with its full refund. Audited.
 */
export type ReviewResolution = 'retry' | 'manual' | 'cancel';

export async function resolveReview(
  ctx: Context,
  input: { orderId: number; resolution: string },
): Promise<Result<{ id: number; resolution: ReviewResolution }>> {
  const resolution = input.resolution;
  if (resolution !== 'retry' && resolution !== 'manual' && resolution !== 'cancel') {
    return fail({ code: 'INVALID_INPUT', field: 'resolution', reason: 'retry, manual or cancel' });
  }
  return transactOrRollBack(ctx.db, async (tx) => {
    await lockOrderRow(tx, input.orderId);
    const order = await findOrder(tx, input.orderId);
    if (!order || order.dispatch_state !== 'review')
      return fail({ code: 'ORDER_NOT_FOUND', id: input.orderId });
    const now = ctx.clock.now();
    let refund: string | null = null;
    if (resolution === 'cancel') {
      const moved = await changeOrderStatus(tx, ctx, order, { to: 'canceled' });
      if (!moved.ok) return moved;
      refund = moved.value.refund ? formatMoney(moved.value.refund.amount) : null;
    }
    const to = resolution === 'retry' ? 'queued' : resolution === 'manual' ? 'manual' : 'refused';
    if (!(await leaveReview(tx, { id: input.orderId, to, now }))) {
      throw new FailureSignal({ code: 'ORDER_NOT_FOUND', id: input.orderId });
    }
    await recordAudit(tx, ctx, 'order.review', `order:${input.orderId}`, {
      resolution,
      refund,
    });
    return ok({ id: input.orderId, resolution });
  });
}
