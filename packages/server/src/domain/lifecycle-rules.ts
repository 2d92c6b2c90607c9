import type { Failure } from './errors.js';
import {
  OPEN_ORDER_STATUSES,
  OPEN_SUBSCRIPTION_STATUSES,
  type OrderKind,
  REFILLABLE_ORDER_STATUSES,
  isOneOf,
} from './order-status.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The rules below take the status as text: they answer for any stored status of any kind (a
 * subscription's statuses are its own), which is also how their tests drive them.
 */
export interface RefillCandidate {
  readonly kind: OrderKind;
  readonly status: string;
  readonly serviceRefill: boolean;
  readonly refillDays: number;
  readonly completedAt: number | null;
  /** When the last refill of this order was requested, if any. */
  readonly lastRefillAt: number | null;
  readonly hasOpenRefill: boolean;
}

/**
 * Whether a refill may be requested now. Checked in this order, which decides the message:
 * the service's flag, the order's state, the refill window (from completion), then one open
 * refill per order and one request per 24 hours.
 */
export function refillRefusal(order: RefillCandidate, now: number): Failure | null {
  if (!order.serviceRefill || order.kind === 'subscription') return { code: 'REFILL_DISABLED' };
  if (!isOneOf(REFILLABLE_ORDER_STATUSES, order.status) || order.completedAt === null) {
    return { code: 'ORDER_NOT_COMPLETED' };
  }
  if (now > order.completedAt + order.refillDays * DAY_MS) return { code: 'REFILL_DAYS_OVER' };
  if (order.hasOpenRefill || (order.lastRefillAt !== null && now - order.lastRefillAt < DAY_MS)) {
    return { code: 'REFILL_TOO_SOON' };
  }
  return null;
}

export interface CancelCandidate {
  readonly kind: OrderKind;
  readonly status: string;
  readonly serviceCancel: boolean;
}

/** Whether a cancel may be requested: the service allows it and the order is not finished. */
export function cancelRefusal(order: CancelCandidate): Failure | null {
  if (!order.serviceCancel) return { code: 'CANCEL_DISABLED' };
  const cancelable = order.kind === 'subscription' ? OPEN_SUBSCRIPTION_STATUSES : OPEN_ORDER_STATUSES;
  return isOneOf(cancelable, order.status) ? null : { code: 'CANNOT_CANCEL' };
}
