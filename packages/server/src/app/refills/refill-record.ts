import { refillStatusLabel } from '../../domain/order-status.js';
import type { Refill } from '../../store/refills.js';

/** A refill as the owner sees it (CLI, admin): its status label, times as ISO strings. */
export function refillRecord(refill: Refill) {
  return {
    id: refill.id,
    orderId: refill.orderId,
    userId: refill.userId,
    status: refillStatusLabel(refill.status),
    createdAt: new Date(refill.createdAt).toISOString(),
    updatedAt: new Date(refill.updatedAt).toISOString(),
  };
}

export type RefillRecord = ReturnType<typeof refillRecord>;
