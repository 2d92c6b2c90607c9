import { type Result, fail, ok } from '../../domain/errors.js';
import { canTransitionRefill, parseRefillStatus, refillStatusLabel } from '../../domain/order-status.js';
import { findRefill, updateRefillStatus as compareAndSetStatus } from '../../store/refills.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { notifyRefillUpdated } from '../webhooks/notify-order-updated.js';
import { type RefillRecord, refillRecord } from './refill-record.js';

export interface RefillStatusUpdate {
  readonly refillId: number;
  readonly status: string;
}

/**
 * The owner moves a refill of a manual service along: Pending → In progress → Completed, or
 * Rejected from either open state. Completed and Rejected are final.
 */
export async function updateRefillStatus(
  ctx: Context,
  update: RefillStatusUpdate,
): Promise<Result<RefillRecord>> {
  const to = parseRefillStatus(update.status);
  if (to === null) {
    return fail({ code: 'INVALID_INPUT', field: 'status', reason: 'In progress, Completed or Rejected' });
  }
  return ctx.db.transaction(async (tx): Promise<Result<RefillRecord>> => {
    const refill = await findRefill(tx, update.refillId);
    if (!refill) return fail({ code: 'REFILL_NOT_FOUND' });
    const from = refill.status;
    // Said as a refill's move: the INVALID_TRANSITION message speaks of orders.
    const refused = fail<RefillRecord>({
      code: 'INVALID_INPUT',
      field: 'status',
      reason: `a refill cannot go from ${refillStatusLabel(from)} to ${refillStatusLabel(to)}`,
    });
    if (!canTransitionRefill(from, to)) return refused;
    const { id } = refill;
    const changed = await compareAndSetStatus(tx, { id, from, to, now: ctx.clock.now() });
    if (!changed) return refused;
    await notifyRefillUpdated(tx, ctx, refill, to);
    await recordAudit(tx, ctx, 'refill.status', `refill:${id}`, {
      order: refill.orderId,
      from: refillStatusLabel(from),
      to: refillStatusLabel(to),
    });
    const updated = await findRefill(tx, id);
    return ok(refillRecord(updated!));
  });
}
