import { purgeAdminIdempotencyKeys } from '../../store/admin-idempotency.js';
import { deleteExpiredIdempotencyKeys } from '../../store/idempotency.js';
import type { Context } from '../context.js';
import { ADMIN_IDEMPOTENCY_WINDOW_MS } from '../admin-tokens/idempotent-request.js';
import { IDEMPOTENCY_WINDOW_MS } from '../orders/place-order.js';

/** Request keys (API v2's request_id, the admin API's Idempotency-Key) are honoured for 24 hours. */
export async function purgeIdempotencyKeys(ctx: Context): Promise<number> {
  const now = ctx.clock.now();
  return (
    (await deleteExpiredIdempotencyKeys(ctx.db, now - IDEMPOTENCY_WINDOW_MS)) +
    (await purgeAdminIdempotencyKeys(ctx.db, now - ADMIN_IDEMPOTENCY_WINDOW_MS))
  );
}
