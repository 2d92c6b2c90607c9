import { formatMoney } from '../../domain/money.js';
import {
  ORDER_STATUSES,
  type OrderStatus,
  orderStatusLabel,
  subscriptionStatusLabel,
} from '../../domain/order-status.js';
import { formatExpiry } from '../../domain/order-request.js';
import type { OrderStatusView } from '../../app/orders/order-status-view.js';

/** The exact `status` object of API v2: numbers the seed shows as strings are strings. */
export function presentOrderStatus(view: OrderStatusView, currency: string): Record<string, unknown> {
  switch (view.kind) {
    case 'order':
      return {
        charge: formatMoney(view.charge),
        start_count: String(view.startCount),
        status: orderStatusLabel(view.status),
        remains: String(view.remains),
        currency,
      };
    case 'dripfeed':
      return {
        charge: formatMoney(view.charge),
        start_count: String(view.startCount),
        status: orderStatusLabel(view.status),
        remains: String(view.remains),
        currency,
        runs: String(view.runs),
        orders: view.childIds,
      };
    case 'subscription':
      return {
        status: subscriptionStatusLabel(view.status),
        expiry: view.expiry === null ? null : formatExpiry(view.expiry),
        posts: String(view.posts),
        orders: view.childIds,
        charge: formatMoney(view.charge),
        currency,
      };
  }
}

/** Each order status's label as JSON text, built once. */
const LABEL_JSON = new Map<OrderStatus, string>(
  ORDER_STATUSES.map((status) => [status, JSON.stringify(orderStatusLabel(status))]),
);
let currencyJson = { currency: '', json: '""' };

/**
 * `JSON.stringify(presentOrderStatus(view, currency))`, byte for byte, without building the
 * object for a plain order (the common case, 100 at a time in `status` with `orders`): money and
 * counts are digits, a sign and a point, which JSON never escapes; the label and the currency
 * are JSON texts made once.
 */
export function orderStatusJson(view: OrderStatusView, currency: string): string {
  if (view.kind !== 'order') return JSON.stringify(presentOrderStatus(view, currency));
  if (currencyJson.currency !== currency) currencyJson = { currency, json: JSON.stringify(currency) };
  const label = LABEL_JSON.get(view.status) ?? JSON.stringify(orderStatusLabel(view.status));
  return (
    `{"charge":"${formatMoney(view.charge)}","start_count":"${view.startCount}","status":${label},` +
    `"remains":"${view.remains}","currency":${currencyJson.json}}`
  );
}
