import { formatMoney } from '../../domain/money.js';
import {
  type OrderStatus,
  type SubscriptionStatus,
  orderStatusLabel,
  subscriptionStatusLabel,
} from '../../domain/order-status.js';
import type { OrderRow } from '../../store/orders.js';

/** An order as the owner sees it (CLI, admin): everything, money formatted, times as ISO strings. */
export function orderRecord(row: OrderRow) {
  const iso = (ms: bigint | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    serviceId: Number(row.service_id),
    kind: row.kind,
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    status:
      row.kind === 'subscription'
        ? subscriptionStatusLabel(row.status as SubscriptionStatus)
        : orderStatusLabel(row.status as OrderStatus),
    link: row.link,
    quantity: Number(row.quantity),
    runs: row.runs === null ? null : Number(row.runs),
    interval: row.interval_minutes === null ? null : Number(row.interval_minutes),
    details: JSON.parse(row.details) as unknown,
    rate: formatMoney(row.rate),
    charge: formatMoney(row.charge),
    refunded: formatMoney(row.refunded),
    startCount: Number(row.start_count),
    remains: Number(row.remains),
    // Forwarding: where it went, what the provider charged us (its currency) and our margin.
    dispatch: row.dispatch_state,
    providerId: row.provider_id === null ? null : Number(row.provider_id),
    providerOrderId: row.provider_order_id,
    dispatchError: row.dispatch_error,
    providerCost:
      row.provider_charge === null
        ? null
        : { amount: formatMoney(row.provider_charge), currency: row.provider_currency },
    profit:
      row.provider_charge === null ? null : formatMoney(row.charge - row.refunded - row.provider_charge),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    completedAt: iso(row.completed_at),
  };
}

export type OrderRecord = ReturnType<typeof orderRecord>;
