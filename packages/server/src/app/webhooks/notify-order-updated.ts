import { formatMoney } from '../../domain/money.js';
import {
  type OrderStatus,
  type RefillStatus,
  orderStatusLabel,
  refillStatusLabel,
} from '../../domain/order-status.js';
import type { Queryable } from '../../store/database.js';
import { type OrderOrDripfeed, findChildCharges } from '../../store/orders.js';
import type { Context } from '../context.js';
import { enqueueWebhookEvent } from './enqueue-webhook-event.js';

/** An order's fields after a change, as `changeOrderStatus` wrote them. */
export interface OrderAfterChange {
  readonly status: OrderStatus;
  readonly startCount: number;
  readonly remains: number;
  readonly refunded: bigint;
}

/**
 * `order.updated` for an order (a drip-feed run or a subscription post too) whose status just
 * changed: the fields and formats of API v2's `status` answer, with the order's id, its parent's
 * for a run or post, and the order's sequence number.
 */
export async function notifyOrderUpdated(
  tx: Queryable,
  ctx: Context,
  order: OrderOrDripfeed,
  after: OrderAfterChange,
): Promise<void> {
  await enqueueWebhookEvent(
    tx,
    ctx,
    { userId: order.userId, type: 'order.updated', orderId: order.id },
    async (sequence) => {
      const status: Record<string, unknown> = {
        order: order.id,
        sequence,
        charge: formatMoney(order.charge - after.refunded),
        start_count: String(after.startCount),
        status: orderStatusLabel(after.status),
        remains: String(after.remains),
        currency: ctx.currency,
      };
      if (order.kind === 'dripfeed') {
        status.runs = String(order.runs ?? 0);
        status.orders = (await findChildCharges(tx, [order.id])).map((child) => child.id);
      }
      if (order.parentId !== null) status.parent = order.parentId;
      return status;
    },
  );
}

/** `refill.updated`: the refill, its order and the status as `refill_status` spells it. */
export async function notifyRefillUpdated(
  tx: Queryable,
  ctx: Context,
  refill: { id: number; orderId: number; userId: number },
  status: RefillStatus,
): Promise<void> {
  await enqueueWebhookEvent(tx, ctx, { userId: refill.userId, type: 'refill.updated' }, () =>
    Promise.resolve({ refill: refill.id, order: refill.orderId, status: refillStatusLabel(status) }),
  );
}
