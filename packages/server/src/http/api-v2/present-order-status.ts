import { formatMoney } from '../../domain/money.js';
import { orderStatusLabel, subscriptionStatusLabel } from '../../domain/order-status.js';
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
