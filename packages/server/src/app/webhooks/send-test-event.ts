import { type Result, ok } from '../../domain/errors.js';
import { TEST_EVENT } from '../../domain/webhooks.js';
import { insertDeliveries } from '../../store/webhook-deliveries.js';
import type { Context } from '../context.js';
import { newMessageId, webhookBody } from './enqueue-webhook-event.js';
import { findOwnEndpoint } from './own-endpoint.js';

/** The "send test event" button: one `webhook.test` delivery to this endpoint, sent by the worker like any other. */
export async function sendTestEvent(
  ctx: Context,
  userId: number,
  id: number,
): Promise<Result<{ messageId: string }>> {
  return ctx.db.transaction(async (tx): Promise<Result<{ messageId: string }>> => {
    const found = await findOwnEndpoint(tx, userId, id);
    if (!found.ok) return found;
    const now = ctx.clock.now();
    const messageId = newMessageId();
    const payload = webhookBody(TEST_EVENT, now, {
      endpoint: id,
      message: 'This is a test event from your panel.',
    });
    await insertDeliveries(
      tx,
      [{ endpointId: id, messageId, eventType: TEST_EVENT, payload, orderId: null }],
      now,
    );
    return ok({ messageId });
  });
}
