import { formatMoney } from '../../domain/money.js';
import { orderStatusLabel, subscriptionStatusLabel } from '../../domain/order-status.js';
import type { Order } from '../../store/orders.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An order as the owner sees it (CLI, admin): everything, money formatted, times as ISO strings. */
export function orderRecord(order: Order) {
  return {
    id: order.id,
    userId: order.userId,
    serviceId: order.serviceId,
    kind: order.kind,
    parentId: order.parentId,
    status:
      order.kind === 'subscription' ? subscriptionStatusLabel(order.status) : orderStatusLabel(order.status),
    link: order.link,
    quantity: order.quantity,
    runs: order.runs,
    interval: order.intervalMinutes,
    details: JSON.parse(order.details) as unknown,
    rate: formatMoney(order.rate),
    charge: formatMoney(order.charge),
    refunded: formatMoney(order.refunded),
    startCount: order.startCount,
    remains: order.remains,
    // Forwarding: where it went, what the provider charged us (its currency) and our margin.
    dispatch: order.dispatchState,
    providerId: order.providerId,
    providerOrderId: order.providerOrderId,
    dispatchError: order.dispatchError,
    providerCost:
      order.providerCharge === null
        ? null
        : { amount: formatMoney(order.providerCharge), currency: order.providerCurrency },
    // …and that charge in the panel's currency, converted when it was recorded.
    cost: order.providerCost === null ? null : formatMoney(order.providerCost),
    profit:
      order.providerCost === null ? null : formatMoney(order.charge - order.refunded - order.providerCost),
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
    completedAt: iso(order.completedAt),
  };
}

export type OrderRecord = ReturnType<typeof orderRecord>;
