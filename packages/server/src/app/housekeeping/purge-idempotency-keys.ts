import { deleteExpiredIdempotencyKeys } from '../../store/idempotency.js';
import type { Context } from '../context.js';
import { IDEMPOTENCY_WINDOW_MS } from '../orders/place-order.js';

/** Request keys are honoured for 24 hours; older ones only take space. */
export function purgeIdempotencyKeys(ctx: Context): Promise<number> {
  return deleteExpiredIdempotencyKeys(ctx.db, ctx.clock.now() - IDEMPOTENCY_WINDOW_MS);
}
