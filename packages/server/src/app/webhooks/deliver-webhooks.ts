import {
  DELIVERY_TIMEOUT_MS,
  DISABLE_AFTER_FAILING_MS,
  afterAttempt,
  shouldDisableEndpoint,
} from '../../domain/webhooks.js';
import {
  type ClaimedDelivery,
  claimDueDeliveries,
  finishDelivery,
  recordAttempt,
  retryDeliveryLater,
} from '../../store/webhook-deliveries.js';
import {
  disableFailingEndpoint,
  findWebhookEndpoint,
  markEndpointFailing,
  markEndpointSucceeding,
} from '../../store/webhook-endpoints.js';
import { type Clock, type Context, systemClock } from '../context.js';
import { type PostOutcome, postWebhook } from './post-webhook.js';
import { type UrlPolicy, checkPublicUrl } from './public-url.js';
import { signWebhook } from './webhook-secret.js';

export interface WebhookSender {
  readonly policy: UrlPolicy;
  /** How long a receiver has to answer (the specification's 10 s unless a test shortens it). */
  readonly timeoutMs?: number | undefined;
  /**
   * The `webhook-timestamp` clock: receivers compare it with their own to refuse replays, so it is
   * the real time even where a test moves the scheduling clock.
   */
  readonly stampClock?: Clock | undefined;
}

const BATCH = 20;
const MAX_BATCHES_PER_RUN = 10;
/** A claim outlives the call by this much, so only a dead worker's claim is taken over. */
const LEASE_MARGIN_MS = 60_000;

/**
 * The worker's webhook job: claims due deliveries (each by one worker), checks each URL again and
 * POSTs it signed to the checked address, records the attempt, and schedules the next one or ends
 * the delivery. An endpoint failing for a day without a success is disabled.
 */
export async function deliverWebhooks(ctx: Context, sender: WebhookSender): Promise<number> {
  const timeoutMs = sender.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  let sent = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const now = ctx.clock.now();
    const claimed = await ctx.db.transaction((tx) =>
      claimDueDeliveries(tx, { now, leaseUntil: now + timeoutMs + LEASE_MARGIN_MS, limit: BATCH }),
    );
    await Promise.all(claimed.map((delivery) => deliverOne(ctx, sender, timeoutMs, delivery)));
    sent += claimed.length;
    if (claimed.length < BATCH) break;
  }
  return sent;
}

async function deliverOne(
  ctx: Context,
  sender: WebhookSender,
  timeoutMs: number,
  delivery: ClaimedDelivery,
): Promise<void> {
  const attemptedAt = ctx.clock.now();
  const outcome = await attempt(sender, timeoutMs, delivery);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await recordAttempt(tx, {
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      attempt: delivery.attempt,
      attemptedAt,
      ...outcome,
    });
    const next = afterAttempt(delivery.attempt, outcome.statusCode, now);
    const change = { id: delivery.id, attempt: delivery.attempt };
    if (next.next === 'retry') await retryDeliveryLater(tx, { ...change, at: next.at });
    else await finishDelivery(tx, { ...change, state: next.next, now });
    if (next.next === 'delivered') {
      await markEndpointSucceeding(tx, delivery.endpointId, now);
      return;
    }
    await markEndpointFailing(tx, delivery.endpointId, attemptedAt);
    const endpoint = await findWebhookEndpoint(tx, delivery.endpointId);
    if (endpoint && shouldDisableEndpoint(endpoint.failingSinceAt, now)) {
      await disableFailingEndpoint(tx, {
        id: endpoint.id,
        reason: 'every delivery failed for a day',
        failingBefore: now - DISABLE_AFTER_FAILING_MS,
        now,
      });
    }
  });
}

async function attempt(
  sender: WebhookSender,
  timeoutMs: number,
  delivery: ClaimedDelivery,
): Promise<PostOutcome> {
  // Checked again at each attempt: the name may point elsewhere since the endpoint was saved.
  const target = await checkPublicUrl(sender.policy, delivery.url);
  if (!target.ok) {
    const reason = target.failure.code === 'INVALID_INPUT' ? target.failure.reason : target.failure.code;
    return { statusCode: null, durationMs: 0, responseExcerpt: '', error: `not sent: ${reason}` };
  }
  const timestamp = Math.floor((sender.stampClock ?? systemClock).now() / 1000);
  const headers = {
    'user-agent': 'smmkit-webhooks',
    'webhook-id': delivery.messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(delivery.secret, delivery.messageId, timestamp, delivery.payload),
  };
  return postWebhook(target.value, headers, delivery.payload, timeoutMs);
}
