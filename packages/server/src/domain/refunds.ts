import { type Money, partialRefund } from './money.js';
import type { OrderStatus } from './order-status.js';

export interface RefundableOrder {
  readonly id: number;
  readonly charge: Money;
  readonly refunded: Money;
  /** Total units ordered (quantity × runs for a drip-feed). */
  readonly totalQuantity: number;
}

export interface Refund {
  readonly amount: Money;
  /** Unique ledger entry key: a retry or a concurrent worker can never post it twice. */
  readonly entryKey: string;
  readonly reason: string;
}

/**
 * The refund a move to `status` owes: Partial refunds what was not delivered (rounded down),
 * Canceled refunds whatever is left of the charge. Other statuses owe nothing.
 */
export function refundFor(order: RefundableOrder, status: OrderStatus, remains: number): Refund | null {
  const outstanding = order.charge - order.refunded;
  let amount: Money;
  if (status === 'canceled') amount = outstanding;
  else if (status === 'partial') amount = partialRefund(order.charge, remains, order.totalQuantity);
  else return null;
  if (amount > outstanding) amount = outstanding;
  if (amount <= 0n) return null;
  return { amount, entryKey: `refund:${status}:${order.id}`, reason: `Order #${order.id} ${status}` };
}

/** `remains` shown and stored is clamped to 0..quantity. */
export function clampRemains(remains: number, totalQuantity: number): number {
  return Math.min(Math.max(Math.trunc(remains), 0), totalQuantity);
}
