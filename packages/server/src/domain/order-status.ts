import { readStoredValue } from './stored-value.js';
/**
 * Order and subscription state machines. Every status change goes through `canTransition`
 * and is saved with a compare-and-set on the old status (`UPDATE … WHERE id = ? AND status = ?`).
 */
export const ORDER_STATUSES = [
  'pending',
  'in_progress',
  'processing',
  'completed',
  'partial',
  'canceled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const SUBSCRIPTION_STATUSES = ['active', 'paused', 'completed', 'expired', 'canceled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** What an `orders` row holds: an ordinary order (or a drip-feed run, a subscription post), a drip-feed parent, a subscription. */
export const ORDER_KINDS = ['order', 'dripfeed', 'subscription'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

/** A row of `orders` has the statuses of its kind: a subscription's are its own. */
export type KindAndStatus =
  | { readonly kind: 'order' | 'dripfeed'; readonly status: OrderStatus }
  | { readonly kind: 'subscription'; readonly status: SubscriptionStatus };

/** Orders that still hold their link (for services that forbid duplicate links) and can change. */
const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['pending', 'in_progress', 'processing', 'completed', 'partial', 'canceled'],
  in_progress: ['in_progress', 'processing', 'completed', 'partial', 'canceled'],
  processing: ['in_progress', 'processing', 'completed', 'partial', 'canceled'],
  completed: [],
  partial: [],
  canceled: [],
};

const SUBSCRIPTION_TRANSITIONS: Readonly<Record<SubscriptionStatus, readonly SubscriptionStatus[]>> = {
  active: ['paused', 'completed', 'expired', 'canceled'],
  paused: ['active', 'completed', 'expired', 'canceled'],
  completed: [],
  expired: [],
  canceled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

export function canTransitionSubscription(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return SUBSCRIPTION_TRANSITIONS[from].includes(to);
}

export function isFinalOrderStatus(status: OrderStatus): boolean {
  return ORDER_TRANSITIONS[status].length === 0;
}

// ——— status sets: each defined once, from the tables above where it can be ———

/** Completed, Partial, Canceled: an order in one of these never changes again (and is refunded). */
export const FINAL_ORDER_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter(isFinalOrderStatus);
/** Statuses in which an order is still being fulfilled: it can be canceled, and sync follows it. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter(
  (status) => !isFinalOrderStatus(status),
);
/** An order is refilled only once it ended with something delivered. */
export const REFILLABLE_ORDER_STATUSES = ['completed', 'partial'] as const satisfies readonly OrderStatus[];

/** Statuses in which a subscription still takes posts (and can be canceled); every other one is final. */
export const OPEN_SUBSCRIPTION_STATUSES = [
  'active',
  'paused',
] as const satisfies readonly SubscriptionStatus[];
export type OpenSubscriptionStatus = (typeof OPEN_SUBSCRIPTION_STATUSES)[number];
export const FINAL_SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = SUBSCRIPTION_STATUSES.filter(
  (status) => SUBSCRIPTION_TRANSITIONS[status].length === 0,
);

export function isOpenSubscription(status: SubscriptionStatus): status is OpenSubscriptionStatus {
  return (OPEN_SUBSCRIPTION_STATUSES as readonly SubscriptionStatus[]).includes(status);
}

export function isFinalSubscriptionStatus(status: SubscriptionStatus): boolean {
  return SUBSCRIPTION_TRANSITIONS[status].length === 0;
}

const ORDER_LABELS: Readonly<Record<OrderStatus, string>> = {
  pending: 'Pending',
  in_progress: 'In progress',
  processing: 'Processing',
  completed: 'Completed',
  partial: 'Partial',
  canceled: 'Canceled',
};

const SUBSCRIPTION_LABELS: Readonly<Record<SubscriptionStatus, string>> = {
  active: 'Active',
  paused: 'Paused',
  completed: 'Completed',
  expired: 'Expired',
  canceled: 'Canceled',
};

export function orderStatusLabel(status: OrderStatus): string {
  return ORDER_LABELS[status];
}

export function subscriptionStatusLabel(status: SubscriptionStatus): string {
  return SUBSCRIPTION_LABELS[status];
}

/** Reads an API label ("In progress") or a code ("in_progress") of one of `statuses`, case-insensitively. */
function parseStatus<S extends string>(statuses: readonly S[], text: string): S | null {
  const normalized = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return (statuses as readonly string[]).includes(normalized) ? (normalized as S) : null;
}

export function parseOrderStatus(text: string): OrderStatus | null {
  return parseStatus(ORDER_STATUSES, text);
}

export function parseSubscriptionStatus(text: string): SubscriptionStatus | null {
  return parseStatus(SUBSCRIPTION_STATUSES, text);
}

export const REFILL_STATUSES = ['pending', 'in_progress', 'completed', 'rejected'] as const;
export type RefillStatus = (typeof REFILL_STATUSES)[number];

const REFILL_TRANSITIONS: Readonly<Record<RefillStatus, readonly RefillStatus[]>> = {
  pending: ['in_progress', 'completed', 'rejected'],
  in_progress: ['completed', 'rejected'],
  completed: [],
  rejected: [],
};

const REFILL_LABELS: Readonly<Record<RefillStatus, string>> = {
  pending: 'Pending',
  in_progress: 'In progress',
  completed: 'Completed',
  rejected: 'Rejected',
};

export function canTransitionRefill(from: RefillStatus, to: RefillStatus): boolean {
  return REFILL_TRANSITIONS[from].includes(to);
}

export function isOpenRefill(status: RefillStatus): boolean {
  return REFILL_TRANSITIONS[status].length > 0;
}

/**
 * A customer's request to cancel an order already being fulfilled: pending until the order ends,
 * then done (it was canceled or ended short) or rejected (it completed, or its provider refused).
 */
export const CANCEL_REQUEST_STATUSES = ['pending', 'done', 'rejected'] as const;
export type CancelRequestStatus = (typeof CANCEL_REQUEST_STATUSES)[number];

/** Pending and In progress: at most one such refill per order (the refills_one_open index). */
export const OPEN_REFILL_STATUSES: readonly RefillStatus[] = REFILL_STATUSES.filter(isOpenRefill);

export function refillStatusLabel(status: RefillStatus): string {
  return REFILL_LABELS[status];
}

export function parseRefillStatus(text: string): RefillStatus | null {
  return parseStatus(REFILL_STATUSES, text);
}

// ——— reading stored values ———

/**
 * A stored value outside its closed list is a corrupt row, not user input: reading it throws (a
 * fault), so nothing above the store ever holds a status it cannot name.
 */
/** Whether `value` is one of `values` (a status set, say), for a value typed only as text. */
export function isOneOf<S extends string>(values: readonly S[], value: string): value is S {
  return (values as readonly string[]).includes(value);
}

export function readOrderStatus(stored: string): OrderStatus {
  return readStoredValue(ORDER_STATUSES, stored, 'order status');
}

export function readSubscriptionStatus(stored: string): SubscriptionStatus {
  return readStoredValue(SUBSCRIPTION_STATUSES, stored, 'subscription status');
}

export function readRefillStatus(stored: string): RefillStatus {
  return readStoredValue(REFILL_STATUSES, stored, 'refill status');
}

export function readCancelRequestStatus(stored: string): CancelRequestStatus {
  return readStoredValue(CANCEL_REQUEST_STATUSES, stored, 'cancel request status');
}

export function readOrderKind(stored: string): OrderKind {
  return readStoredValue(ORDER_KINDS, stored, 'order kind');
}

/** An `orders` row's kind and status, the status read as its kind's. */
export function readKindAndStatus(kind: string, status: string): KindAndStatus {
  const storedKind = readOrderKind(kind);
  return storedKind === 'subscription'
    ? { kind: storedKind, status: readSubscriptionStatus(status) }
    : { kind: storedKind, status: readOrderStatus(status) };
}
