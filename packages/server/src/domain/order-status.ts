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

export function refillStatusLabel(status: RefillStatus): string {
  return REFILL_LABELS[status];
}

export function parseRefillStatus(text: string): RefillStatus | null {
  return parseStatus(REFILL_STATUSES, text);
}
