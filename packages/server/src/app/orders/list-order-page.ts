import { type Result, fail, ok } from '../../domain/errors.js';
import { cancelRefusal, refillRefusal } from '../../domain/lifecycle-rules.js';
import { formatMoney } from '../../domain/money.js';
import { type OrderKind, parseOrderStatus, parseSubscriptionStatus } from '../../domain/order-status.js';
import {
  type OrderOverview,
  type OrderQuery,
  countOrders,
  listChildOrders,
  queryOrders,
} from '../../store/order-listing.js';
import { countTopLevelOrders } from '../../store/order-status-counts.js';
import type { Order } from '../../store/orders.js';
import type { Context } from '../context.js';
import { type Keyset, rowWindow } from '../keyset.js';
import { orderRecord } from './order-record.js';

export const ORDERS_PAGE_SIZE = 25;

export interface OrderPageQuery {
  /** Set for a customer: only their orders. Undefined for the admin: everyone's. */
  readonly userId?: number | undefined;
  /** A status label ("In progress", "Active"…); empty or absent: all. */
  readonly status?: string | undefined;
  /** An order id or part of a link. */
  readonly search?: string | undefined;
  /** Admin: only orders waiting for a human in the dispatch review list. */
  readonly review?: boolean | undefined;
  /** Only subscriptions, only drip-feeds… */
  readonly kind?: OrderKind | undefined;
  readonly serviceId?: number | undefined;
  readonly providerId?: number | undefined;
  /** Created at or after / before (epoch ms). */
  readonly createdFrom?: number | undefined;
  readonly createdBefore?: number | undefined;
  readonly page?: number | undefined;
  /** The web panel's older pages: the orders below this id (newest first), never an offset scan. */
  readonly before?: number | undefined;
  /** The admin API reads keyset pages. */
  readonly keyset?: Keyset | undefined;
}

/** Only a status or a kind: the total is a read of the kept counts (migration 0024), not a count of every order. */
function countedByStatusAlone(filter: Omit<OrderQuery, 'limit' | 'offset'>): boolean {
  return (
    filter.userId === undefined &&
    (filter.search ?? '') === '' &&
    filter.dispatchState === undefined &&
    filter.serviceId === undefined &&
    filter.providerId === undefined &&
    filter.createdFrom === undefined &&
    filter.createdBefore === undefined
  );
}

function childRecord(child: Order) {
  // Object.assign, not a spread: see toOrderOverview (store/order-listing.ts).
  return Object.assign(orderRecord(child), { charge: formatMoney(child.charge - child.refunded) });
}

/** An order as the web panel lists it: what it costs now, and whether refill and cancel are allowed. */
function listedOrder(order: OrderOverview, children: Order[], now: number) {
  const record = orderRecord(order);
  const refill = refillRefusal(order, now);
  const cancel = cancelRefusal(order);
  const childCharge = children.reduce((sum, child) => sum + child.charge - child.refunded, 0n);
  return Object.assign(record, {
    username: order.username,
    serviceName: order.serviceName,
    serviceType: order.serviceType,
    // What the order costs now: the charge less refunds (a subscription: the sum of its posts).
    charge: formatMoney(order.kind === 'subscription' ? childCharge : order.charge - order.refunded),
    canRefill: refill === null,
    canCancel: cancel === null,
    dispatchState: order.dispatchState,
    dispatchError: order.dispatchError,
    children: children.map(childRecord),
  });
}

export type ListedOrder = ReturnType<typeof listedOrder>;

/** One page of top-level orders, each with its drip-feed runs or subscription posts. */
export async function listOrderPage(
  ctx: Context,
  query: OrderPageQuery,
): Promise<Result<{ orders: ListedOrder[]; total: number; page: number; pageSize: number }>> {
  const page = query.page ?? 1;
  if (!Number.isSafeInteger(page) || page < 1 || page > 100_000) {
    return fail({ code: 'INVALID_INPUT', field: 'page', reason: 'a whole number from 1' });
  }
  const before = query.before;
  if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) {
    return fail({ code: 'INVALID_INPUT', field: 'before', reason: 'an order id' });
  }
  let statuses: string[] | undefined;
  const label = query.status?.trim() ?? '';
  if (label !== '') {
    const asOrder = parseOrderStatus(label);
    const asSubscription = parseSubscriptionStatus(label);
    if (asOrder === null && asSubscription === null) {
      return fail({ code: 'INVALID_INPUT', field: 'status', reason: 'an order or subscription status' });
    }
    statuses = [...new Set([asOrder, asSubscription].flatMap((status) => (status === null ? [] : [status])))];
  }
  const search = query.search?.trim().slice(0, 200);
  const filter: Omit<OrderQuery, 'limit' | 'offset'> = {
    userId: query.userId,
    statuses,
    search,
    dispatchState: query.review === true ? 'review' : undefined,
    kind: query.kind,
    serviceId: query.serviceId,
    providerId: query.providerId,
    createdFrom: query.createdFrom,
    createdBefore: query.createdBefore,
  };
  const keyset =
    query.keyset ?? (before === undefined ? undefined : { beforeId: before, limit: ORDERS_PAGE_SIZE });
  const [rows, total] = await Promise.all([
    queryOrders(ctx.db, { ...filter, ...rowWindow(keyset, page, ORDERS_PAGE_SIZE) }),
    countedByStatusAlone(filter) ? countTopLevelOrders(ctx.db, filter) : countOrders(ctx.db, filter),
  ]);
  const now = ctx.clock.now();
  const orders = await Promise.all(
    rows.map(async (order) =>
      listedOrder(order, order.kind === 'order' ? [] : await listChildOrders(ctx.db, order.id), now),
    ),
  );
  return ok({ orders, total, page, pageSize: ORDERS_PAGE_SIZE });
}
