import { DELIVERY_LOG_RETENTION_MS } from '../../domain/webhooks.js';
import { purgeDeliveryLog } from '../../store/webhook-deliveries.js';
import type { Context } from '../context.js';

/** The webhook delivery log is kept 30 days. */
export async function purgeWebhookLog(ctx: Context): Promise<number> {
  return ctx.db.transaction((tx) => purgeDeliveryLog(tx, ctx.clock.now() - DELIVERY_LOG_RETENTION_MS));
}
