import type { Money } from '../../domain/money.js';
import type { OrderStatus, SubscriptionStatus } from '../../domain/order-status.js';
import type { ChildOrderRow, OrderStatusRow } from '../../store/orders.js';

/** What `status` tells a customer about one of their orders. */
export type OrderStatusView =
  | {
      readonly kind: 'order';
      readonly status: OrderStatus;
      /** What the order costs now: the charge less refunds. */
      readonly charge: Money;
      readonly startCount: number;
      readonly remains: number;
    }
  | {
      readonly kind: 'dripfeed';
      readonly status: OrderStatus;
      readonly charge: Money;
      readonly startCount: number;
      readonly remains: number;
      readonly runs: number;
      readonly childIds: readonly number[];
    }
  | {
      readonly kind: 'subscription';
      readonly status: SubscriptionStatus;
      readonly expiry: string | null;
      readonly posts: number;
      readonly childIds: readonly number[];
      readonly charge: Money;
    };

export function toStatusView(row: OrderStatusRow, children: readonly ChildOrderRow[]): OrderStatusView {
  const total = Number(row.quantity) * Number(row.runs ?? 1n);
  const remains = Math.min(Math.max(Number(row.remains), 0), total);
  const childIds = children.map((child) => Number(child.id));
  switch (row.kind) {
    case 'order':
      return {
        kind: 'order',
        status: row.status as OrderStatus,
        charge: row.charge - row.refunded,
        startCount: Number(row.start_count),
        remains,
      };
    case 'dripfeed':
      return {
        kind: 'dripfeed',
        status: row.status as OrderStatus,
        charge: row.charge - row.refunded,
        startCount: Number(row.start_count),
        remains,
        runs: Number(row.runs ?? 0n),
        childIds,
      };
    case 'subscription': {
      const details = JSON.parse(row.details) as { expiry?: string | null };
      return {
        kind: 'subscription',
        status: row.status as SubscriptionStatus,
        expiry: details.expiry ?? null,
        posts: children.length,
        childIds,
        charge: children.reduce((sum, child) => sum + child.charge - child.refunded, 0n),
      };
    }
  }
}
