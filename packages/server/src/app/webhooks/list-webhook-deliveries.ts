import { type Result, ok } from '../../domain/errors.js';
import { type DeliveryLogEntry, findDeliveryLog } from '../../store/webhook-deliveries.js';
import type { Context } from '../context.js';
import { findOwnEndpoint } from './own-endpoint.js';

const LOG_PAGE = 100;

/** An endpoint's delivery log, newest attempt first (the last 30 days, at most 100 lines). */
export async function listWebhookDeliveries(
  ctx: Context,
  userId: number,
  id: number,
): Promise<Result<DeliveryLogEntry[]>> {
  const found = await findOwnEndpoint(ctx.db, userId, id);
  if (!found.ok) return found;
  return ok(await findDeliveryLog(ctx.db, id, LOG_PAGE));
}
