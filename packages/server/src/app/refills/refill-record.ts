import { refillStatusLabel } from '../../domain/order-status.js';
import type { RefillRow } from '../../store/refills.js';

/** A refill as the owner sees it (CLI, admin): its status label, times as ISO strings. */
export function refillRecord(row: RefillRow) {
  return {
    id: Number(row.id),
    orderId: Number(row.order_id),
    userId: Number(row.user_id),
    status: refillStatusLabel(row.status),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

export type RefillRecord = ReturnType<typeof refillRecord>;
