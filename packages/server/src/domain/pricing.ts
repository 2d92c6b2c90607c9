import { type Money, chargeForQuantity } from './money.js';
import type { OrderRequest } from './order-request.js';
import { SERVICE_TYPES } from './service-types.js';

/** The rate a user pays: their custom rate for the service when one is set, else the service's. */
export function effectiveRate(serviceRate: Money, customRate: Money | null | undefined): Money {
  return customRate ?? serviceRate;
}

/**
 * What the order costs when placed. Drip-feed orders are charged for all runs up front;
 * subscriptions are charged per child order, so nothing at placing.
 */
export function orderCharge(rate: Money, request: OrderRequest): Money {
  switch (SERVICE_TYPES[request.type].pricing) {
    case 'flat':
      return rate;
    case 'perChild':
      return 0n;
    case 'per1000':
      return chargeForQuantity(rate, request.quantity * (request.runs ?? 1));
  }
}

/** A subscription's `add` only checks that the balance covers one child at `max`. */
export function subscriptionReserve(rate: Money, request: OrderRequest): Money {
  return request.subscription ? chargeForQuantity(rate, request.subscription.max) : 0n;
}
