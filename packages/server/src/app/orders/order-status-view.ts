import type { Money } from '../../domain/money.js';
import type { OrderStatus, SubscriptionStatus } from '../../domain/order-status.js';
import type { ChildCharge, OrderStatusSnapshot } from '../../store/orders.js';

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

export function toStatusView(order: OrderStatusSnapshot, children: readonly ChildCharge[]): OrderStatusView {
  const total = order.quantity * (order.runs ?? 1);
  const remains = Math.min(Math.max(order.remains, 0), total);
  const childIds = children.map((child) => child.id);
  switch (order.kind) {
    case 'order':
      return {
        kind: 'order',
        status: order.status,
        charge: order.charge - order.refunded,
        startCount: order.startCount,
        remains,
      };
    case 'dripfeed':
      return {
        kind: 'dripfeed',
        status: order.status,
        charge: order.charge - order.refunded,
        startCount: order.startCount,
        remains,
        runs: order.runs ?? 0,
        childIds,
      };
    case 'subscription': {
      // The expiry as `add` stored it with the subscription's terms.
      const details = JSON.parse(order.details) as { expiry?: string | null };
      return {
        kind: 'subscription',
        status: order.status,
        expiry: details.expiry ?? null,
        posts: children.length,
        childIds,
        charge: children.reduce((sum, child) => sum + child.charge - child.refunded, 0n),
      };
    }
  }
}
