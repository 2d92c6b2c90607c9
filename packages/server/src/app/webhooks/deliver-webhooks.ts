import { performance } from 'node:perf_hooks';
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
import { findAccountById } from '../../store/account-emails.js';
import type { Queryable } from '../../store/database.js';
import { type Clock, type Context, systemClock } from '../context.js';
import { publicLink, queueEmail } from '../email/queue-email.js';
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

/** Deliveries in flight at once per run: one slow receiver holds one slot, not the others. */
const CONCURRENCY = 32;
/** Claims wait until this many slots are free (or none is in flight): fewer, larger claims. */
const CLAIM_AT_LEAST = 8;
/** A run stops claiming after this long (and ends when its calls do); the next run goes on. */
const RUN_BUDGET_MS = 20_000;
/** A claim outlives the call by this much, so only a dead worker's claim is taken over. */
const LEASE_MARGIN_MS = 60_000;

/**
 * The worker's webhook job: claims due deliveries (each by one worker), checks each URL again and
 * POSTs it signed to the checked address, records the attempt, and schedules the next one or ends
 * the delivery. Up to CONCURRENCY calls are in flight; as they end, more are claimed (an order's
 * next update becomes due only once the one before it is delivered), until nothing is due. An
 * endpoint failing for a day without a success is disabled and its owner emailed.
 */
export async function deliverWebhooks(ctx: Context, sender: WebhookSender): Promise<number> {
  const timeoutMs = sender.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  // A fault (the database gone) ends the run once the calls in flight are over; it is rethrown then.
  const faults: unknown[] = [];
  for (;;) {
    const room = CONCURRENCY - inFlight.size;
    const mayClaim = faults.length === 0 && performance.now() - started < RUN_BUDGET_MS;
    if (mayClaim && (room >= CLAIM_AT_LEAST || inFlight.size === 0)) {
      const now = ctx.clock.now();
      const claimed = await ctx.db.transaction((tx) =>
        claimDueDeliveries(tx, { now, leaseUntil: now + timeoutMs + LEASE_MARGIN_MS, limit: room }),
      );
      for (const delivery of claimed) {
        const call: Promise<void> = deliverOne(ctx, sender, timeoutMs, delivery)
          .catch((error: unknown) => {
            faults.push(error);
          })
          .finally(() => inFlight.delete(call));
        inFlight.add(call);
      }
      sent += claimed.length;
    }
    if (inFlight.size === 0) {
      if (faults.length > 0) throw faults[0];
      return sent;
    }
    await Promise.race(inFlight);
  }
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
      const reason = 'every delivery failed for a day';
      const disabled = await disableFailingEndpoint(tx, {
        id: endpoint.id,
        reason,
        failingBefore: now - DISABLE_AFTER_FAILING_MS,
        now,
      });
      if (disabled) await tellOwner(tx, ctx, endpoint, reason);
    }
  });
}

/** The owner hears of it by email (when email is on and they have an address), in the same transaction. */
async function tellOwner(
  tx: Queryable,
  ctx: Context,
  endpoint: { userId: number; url: string },
  reason: string,
): Promise<void> {
  const owner = await findAccountById(tx, endpoint.userId);
  if (owner?.email == null) return;
  await queueEmail(
    tx,
    ctx,
    owner.email,
    {
      kind: 'webhook-disabled',
      url: endpoint.url,
      reason,
      link: publicLink(ctx, '/webhooks'),
    },
    { userId: endpoint.userId },
  );
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
