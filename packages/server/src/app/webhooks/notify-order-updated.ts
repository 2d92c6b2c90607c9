import { formatMoney } from '../../domain/money.js';
import {
  type OrderStatus,
  type RefillStatus,
  orderStatusLabel,
  refillStatusLabel,
} from '../../domain/order-status.js';
import type { Queryable } from '../../store/database.js';
import { type OrderOrDripfeed, findChildCharges, findOrder } from '../../store/orders.js';
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
    (sequence) => statusData(tx, ctx, order, after, sequence),
  );
}

/**
 * `order.updated` for a drip-feed run or a subscription post just created (its first status,
 * sequence 1), in the transaction that created it. The order is read only when someone listens.
 */
export async function notifyOrderCreated(
  tx: Queryable,
  ctx: Context,
  created: { userId: number; orderId: number },
): Promise<void> {
  await enqueueWebhookEvent(
    tx,
    ctx,
    { userId: created.userId, type: 'order.updated', orderId: created.orderId },
    async (sequence) => {
      const order = await findOrder(tx, created.orderId);
      if (order === undefined || order.kind === 'subscription') {
        throw new Error(`order ${created.orderId} was not created as an order`);
      }
      return statusData(tx, ctx, order, order, sequence);
    },
  );
}

async function statusData(
  tx: Queryable,
  ctx: Context,
  order: OrderOrDripfeed,
  after: OrderAfterChange,
  sequence: number | null,
): Promise<Readonly<Record<string, unknown>>> {
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
