import { randomUUID } from 'node:crypto';
import type { WebhookEvent } from '../../domain/webhooks.js';
import type { Queryable } from '../../store/database.js';
import { insertDeliveries, nextOrderSequence } from '../../store/webhook-deliveries.js';
import { type WebhookEndpoint, findSubscribedEndpoints } from '../../store/webhook-endpoints.js';
import type { Context } from '../context.js';

/** A message id as Standard Webhooks suggests: unique per event, the same on every retry. */
export function newMessageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

/** The body every delivery sends: `{ type, timestamp, data }`, the shape the specification recommends. */
export function webhookBody(type: string, at: number, data: Readonly<Record<string, unknown>>): string {
  return JSON.stringify({ type, timestamp: new Date(at).toISOString(), data });
}

/**
 * Writes one delivery per subscribed endpoint of `userId`, in the caller's transaction: the
 * change and its notice commit together or not at all. `data` is built only when someone listens,
 * so a user without endpoints costs one indexed read. It gets the order's sequence number when
 * `orderId` is given (the caller holds that order's row, so the numbers follow the changes).
 */
export async function enqueueWebhookEvent(
  tx: Queryable,
  ctx: Context,
  event: { userId: number; type: WebhookEvent; orderId?: number },
  data: (sequence: number | null) => Promise<Readonly<Record<string, unknown>>>,
): Promise<number> {
  const endpoints = await findSubscribedEndpoints(tx, event.userId, event.type);
  if (endpoints.length === 0) return 0;
  const sequence = event.orderId === undefined ? null : await nextOrderSequence(tx, event.orderId);
  const now = ctx.clock.now();
  const payload = webhookBody(event.type, now, await data(sequence));
  await queueFor(tx, endpoints, { type: event.type, payload, orderId: event.orderId ?? null }, now);
  return endpoints.length;
}

export async function queueFor(
  tx: Queryable,
  endpoints: readonly Pick<WebhookEndpoint, 'id'>[],
  message: { type: string; payload: string; orderId: number | null },
  now: number,
): Promise<void> {
  const messageId = newMessageId();
  const { type: eventType, payload, orderId } = message;
  await insertDeliveries(
    tx,
    endpoints.map((endpoint) => ({ endpointId: endpoint.id, messageId, eventType, payload, orderId })),
    now,
  );
}
