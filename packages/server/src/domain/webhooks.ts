import { type Money, parseMoney } from './money.js';
import { readStoredValue } from './stored-value.js';

/**
 * Customer webhooks (Standard Webhooks): the events a customer may subscribe to, the delivery
 * state machine and the retry schedule. The store moves a delivery only by compare-and-set on its
 * state, so two workers never both send one attempt.
 */

export const WEBHOOK_EVENTS = ['order.updated', 'refill.updated', 'deposit.paid', 'balance.low'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent by the "send test event" button only; nobody subscribes to it. */
export const TEST_EVENT = 'webhook.test';
export type DeliveredEvent = WebhookEvent | typeof TEST_EVENT;

export function isWebhookEvent(text: string): text is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(text);
}

/** A customer's event list: known names, at least one, each once, in the table's order. */
export function parseEventList(
  events: readonly string[],
): { ok: true; events: WebhookEvent[] } | { ok: false; reason: string } {
  if (events.length === 0) return { ok: false, reason: 'choose at least one event' };
  const unknown = events.find((event) => !isWebhookEvent(event));
  if (unknown !== undefined) {
    return {
      ok: false,
      reason: `unknown event ${JSON.stringify(unknown)} (one of ${WEBHOOK_EVENTS.join(', ')})`,
    };
  }
  return { ok: true, events: WEBHOOK_EVENTS.filter((event) => events.includes(event)) };
}

/** Stored as one space-separated column: a few names, read with the endpoint. */
export function storedEvents(events: readonly WebhookEvent[]): string {
  return events.join(' ');
}

export function readStoredEvents(text: string): WebhookEvent[] {
  return text
    .split(' ')
    .filter((part) => part !== '')
    .map((part) => readStoredValue(WEBHOOK_EVENTS, part, 'webhook event'));
}

/**
 * pending → delivering (claimed by one worker, with a lease) → delivered, back to pending with the
 * next attempt's time, or failed once the schedule is spent. A lease that runs out (the worker died)
 * makes the delivery claimable again: at least once, never twice at the same time.
 */
export const DELIVERY_STATES = ['pending', 'delivering', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export function readDeliveryState(text: string): DeliveryState {
  return readStoredValue(DELIVERY_STATES, text, 'webhook delivery state');
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The waits after each failed attempt, the Standard Webhooks schedule: the first attempt at once,
 * then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (eight attempts over about 27 hours).
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
];

/** A receiver has this long to answer; anything slower is a failure (and retried). */
export const DELIVERY_TIMEOUT_MS = 10 * SECOND;
/** Endpoints failing without a single success for this long are disabled. */
export const DISABLE_AFTER_FAILING_MS = 24 * HOUR;
/** The delivery log is kept this long. */
export const DELIVERY_LOG_RETENTION_MS = 30 * 24 * HOUR;
/** How much of a receiver's answer the log keeps. */
export const RESPONSE_EXCERPT_CHARS = 200;

export function isSuccessStatus(status: number | null): boolean {
  return status !== null && status >= 200 && status <= 299;
}

export type AttemptOutcome =
  | { readonly next: 'delivered' }
  | { readonly next: 'retry'; readonly at: number }
  | { readonly next: 'failed' };

/** What follows attempt number `attempt` (1 for the first) that got `status` (null: no answer). */
export function afterAttempt(attempt: number, status: number | null, now: number): AttemptOutcome {
  if (isSuccessStatus(status)) return { next: 'delivered' };
  const wait = RETRY_DELAYS_MS[attempt - 1];
  return wait === undefined ? { next: 'failed' } : { next: 'retry', at: now + wait };
}

/** Whether an endpoint that has failed since `failingSince` should be disabled now. */
export function shouldDisableEndpoint(failingSince: number | null, now: number): boolean {
  return failingSince !== null && now - failingSince >= DISABLE_AFTER_FAILING_MS;
}

/** The largest `balance.low` threshold a customer may set (a million in the panel currency). */
const MAX_LOW_BALANCE_THRESHOLD: Money = 1_000_000n * 100_000n;

/** A customer's `balance.low` threshold: a positive amount (at most 5 decimals), or null for none. */
export function parseLowBalanceThreshold(
  text: string | null,
): { ok: true; threshold: Money | null } | { ok: false; reason: string } {
  if (text === null || text.trim() === '') return { ok: true, threshold: null };
  const threshold = parseMoney(text);
  if (threshold === null) return { ok: false, reason: 'an amount such as 5 or 12.50' };
  if (threshold <= 0n || threshold > MAX_LOW_BALANCE_THRESHOLD) {
    return { ok: false, reason: 'more than 0 and at most 1000000' };
  }
  return { ok: true, threshold };
}

/**
 * Whether a balance change from `before` to `after` crosses below the threshold: `balance.low`
 * fires on this step only, so it fires once, and again only after the balance has gone back up to
 * the threshold or above and then down once more.
 */
export function crossesBelowThreshold(threshold: Money | null, before: Money, after: Money): boolean {
  return threshold !== null && before >= threshold && after < threshold;
}
