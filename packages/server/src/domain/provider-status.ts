import type { OrderStatus, RefillStatus, SubscriptionStatus } from './order-status.js';

/**
 * What upstream panels answer, read defensively. Panels in this field spell statuses their own
 * way ("Cancelled", "canceled", "In_progress", "Refunded") and some answer numeric codes; a status
 * that cannot be read is never guessed at: the caller keeps the order as it is and logs it.
 */
function normalize(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

const ORDER_WORDS: Readonly<Record<string, OrderStatus>> = {
  pending: 'pending',
  new: 'pending',
  queued: 'pending',
  'in progress': 'in_progress',
  inprogress: 'in_progress',
  active: 'in_progress',
  processing: 'processing',
  completed: 'completed',
  complete: 'completed',
  done: 'completed',
  partial: 'partial',
  'partially completed': 'partial',
  canceled: 'canceled',
  cancelled: 'canceled',
  cancel: 'canceled',
  // A provider that says Refunded gave the money back: for the customer that is a cancel.
  refunded: 'canceled',
};

/**
 * Numeric codes as the common PHP panel scripts number them. Documented in the README; any other
 * number is unknown.
 */
const ORDER_CODES: Readonly<Record<string, OrderStatus>> = {
  '0': 'pending',
  '1': 'in_progress',
  '2': 'completed',
  '3': 'partial',
  '4': 'canceled',
  '5': 'processing',
};

/** A provider's order status as ours, or null when it cannot be read (keep the order unchanged). */
export function readProviderOrderStatus(raw: unknown): OrderStatus | null {
  if (typeof raw === 'number') return Number.isInteger(raw) ? (ORDER_CODES[String(raw)] ?? null) : null;
  if (typeof raw !== 'string') return null;
  const text = normalize(raw);
  if (/^\d+$/.test(text)) return ORDER_CODES[String(Number(text))] ?? null;
  return ORDER_WORDS[text] ?? null;
}

const REFILL_WORDS: Readonly<Record<string, RefillStatus>> = {
  pending: 'pending',
  new: 'pending',
  'in progress': 'in_progress',
  inprogress: 'in_progress',
  processing: 'in_progress',
  completed: 'completed',
  complete: 'completed',
  done: 'completed',
  rejected: 'rejected',
  canceled: 'rejected',
  cancelled: 'rejected',
  error: 'rejected',
};

export function readProviderRefillStatus(raw: unknown): RefillStatus | null {
  if (typeof raw !== 'string') return null;
  return REFILL_WORDS[normalize(raw)] ?? null;
}

const SUBSCRIPTION_WORDS: Readonly<Record<string, SubscriptionStatus>> = {
  active: 'active',
  'in progress': 'active',
  paused: 'paused',
  completed: 'completed',
  expired: 'expired',
  canceled: 'canceled',
  cancelled: 'canceled',
};

export function readProviderSubscriptionStatus(raw: unknown): SubscriptionStatus | null {
  if (typeof raw !== 'string') return null;
  return SUBSCRIPTION_WORDS[normalize(raw)] ?? null;
}

/** Counts come as strings ("250"), numbers, or junk; junk reads as null. */
export function readProviderCount(raw: unknown): number | null {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

/**
 * How a provider refused `add`: because of our account with it, or because of this order. Running
 * out of balance, a key it no longer accepts (revoked, or mistyped by the owner) and its rate limit
 * are the provider's problem, not the order's: the order waits and is sent once the owner has put
 * it right. Canceling every order that meets such an error would throw away the customers' orders
 * over one setting. Anything else is a refusal of this order.
 */
export function isAccountProblem(providerError: string): boolean {
  const text = providerError.toLowerCase();
  return /not enough (funds|balance|money)|insufficient|low balance|top up|add funds|invalid api key|too many requests/.test(
    text,
  );
}

/** Retry delay after `attempts` failed attempts: 15 s, 30 s, 1 min … capped at 15 minutes. */
export function retryDelayMs(attempts: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 10);
  return Math.min(15_000 * 2 ** exponent, 15 * 60_000);
}
