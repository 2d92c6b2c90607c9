import { type KindAndStatus, type OrderStatus, readKindAndStatus } from '../domain/order-status.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, idArray, sql, sqlByDialect } from './database.js';
import { ORDER_COLUMNS, type Order, type OrderRow, toOrder } from './order-row.js';

export type { Order, OrderFields, OrderOrDripfeed, SubscriptionOrder } from './order-row.js';
export type { OrderKind } from '../domain/order-status.js';

/** What `add`, a drip-feed run's creation or a subscription post inserts. */
export type NewOrder = NewOrderFields & KindAndStatus;

export interface NewOrderFields {
  readonly userId: number;
  readonly serviceId: number;
  readonly parentId: number | null;
  readonly link: string | null;
  readonly quantity: number;
  readonly runs: number | null;
  readonly intervalMinutes: number | null;
  readonly details: string;
  readonly rate: bigint;
  readonly charge: bigint;
  readonly remains: number;
  /** The link when the service forbids duplicate active links, else null. */
  readonly activeLink: string | null;
  /** A drip-feed run's or subscription post's number under its parent; unique per parent. */
  readonly runNumber?: number | null;
  /** Subscriptions: the start of the expiry day (ms, UTC), and posts waiting for a child order. */
  readonly expiresAt?: number | null;
  readonly unpaidPosts?: number;
  /** A drip-feed parent: when its next run is due (the first: at once). */
  readonly nextRunAt?: number | null;
  /** Provider-backed: where it goes, and whether it waits for the dispatcher ('queued'). */
  readonly providerId?: number | null;
  readonly providerServiceId?: string | null;
  readonly dispatchState?: 'manual' | 'queued';
  readonly now: number;
}

// ON CONFLICT DO NOTHING: the unique indexes an insert can hit are the active-link and run-number ones.
const insertOrderSql = sql(
  `INSERT INTO orders (user_id, service_id, kind, parent_id, status, link, quantity, runs, interval_minutes,
     details, rate, charge, remains, active_link, run_number, expires_at, unpaid_posts, next_run_at,
     provider_id, provider_service_id, dispatch_state, dispatch_after, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT DO NOTHING RETURNING id`,
);
const selectOrder = sql(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`);

/**
 * What `status` answers from: the counts and money of one order, of its kind. `details` stays text:
 * only a subscription's expiry is read from it (`toStatusView`).
 */
export type OrderStatusSnapshot = OrderStatusFields & KindAndStatus;

export interface OrderStatusFields {
  readonly id: number;
  readonly quantity: number;
  readonly runs: number | null;
  readonly details: string;
  readonly charge: bigint;
  readonly refunded: bigint;
  readonly startCount: number;
  readonly remains: number;
}

/**
 * The `status` columns as stored. Exported for the one other statement that reads them: the API
 * key's owner read together with one order (store/api-keys.ts), mapped by `toOrderStatusSnapshot`.
 */
export interface OrderStatusRow {
  id: bigint | number;
  kind: string;
  status: string;
  quantity: bigint;
  runs: bigint | null;
  details: string;
  charge: bigint;
  refunded: bigint;
  start_count: bigint;
  remains: bigint;
}

export function toOrderStatusSnapshot(row: OrderStatusRow): OrderStatusSnapshot {
  return {
    id: Number(row.id),
    ...readKindAndStatus(row.kind, row.status),
    quantity: Number(row.quantity),
    runs: numberOrNull(row.runs),
    details: row.details,
    charge: row.charge,
    refunded: row.refunded,
    startCount: Number(row.start_count),
    remains: Number(row.remains),
  };
}

const STATUS_COLUMNS = 'id, kind, status, quantity, runs, details, charge, refunded, start_count, remains';
const selectOwnOrderStatus = sql(`SELECT ${STATUS_COLUMNS} FROM orders WHERE id = ? AND user_id = ?`);
// One statement for any number of ids: a JSON array on SQLite, an array parameter on PostgreSQL.
const selectOwnOrderStatuses = sqlByDialect({
  sqlite: `SELECT ${STATUS_COLUMNS} FROM orders WHERE user_id = ? AND id IN (SELECT value FROM json_each(?))`,
  postgres: `SELECT ${STATUS_COLUMNS} FROM orders WHERE user_id = ? AND id = ANY(?::bigint[])`,
});
const selectChildren = sqlByDialect({
  sqlite: `SELECT id, parent_id, charge, refunded FROM orders
           WHERE parent_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  postgres: `SELECT id, parent_id, charge, refunded FROM orders WHERE parent_id = ANY(?::bigint[]) ORDER BY id`,
});
const updateStatusSql = sql(
  `UPDATE orders SET status = ?, start_count = ?, remains = ?, refunded = ?, active_link = ?, completed_at = ?,
     updated_at = ?
   WHERE id = ? AND status = ?`,
);

/** Resolves to the new order's id, or null when the service forbids duplicates and the link is active. */
export async function insertOrder(q: Queryable, order: NewOrder): Promise<number | null> {
  const row = await q.get<{ id: bigint }>(insertOrderSql, [
    order.userId,
    order.serviceId,
    order.kind,
    order.parentId,
    order.status,
    order.link,
    order.quantity,
    order.runs,
    order.intervalMinutes,
    order.details,
    order.rate,
    order.charge,
    order.remains,
    order.activeLink,
    order.runNumber ?? null,
    order.expiresAt ?? null,
    order.unpaidPosts ?? 0,
    order.nextRunAt ?? null,
    order.providerId ?? null,
    order.providerServiceId ?? null,
    order.dispatchState ?? 'manual',
    order.dispatchState === 'queued' ? order.now : null,
    order.now,
    order.now,
  ]);
  return row ? Number(row.id) : null;
}

export async function findOrder(q: Queryable, id: number): Promise<Order | undefined> {
  const row = await q.get<OrderRow>(selectOrder, [id]);
  return row && toOrder(row);
}

export async function findOwnOrderStatus(
  q: Queryable,
  userId: number,
  id: number,
): Promise<OrderStatusSnapshot | undefined> {
  const row = await q.get<OrderStatusRow>(selectOwnOrderStatus, [id, userId]);
  return row && toOrderStatusSnapshot(row);
}

export async function findOwnOrderStatuses(
  q: Queryable,
  userId: number,
  ids: readonly number[],
): Promise<OrderStatusSnapshot[]> {
  if (ids.length === 0) return [];
  const rows = await q.all<OrderStatusRow>(selectOwnOrderStatuses, [userId, idArray(q, ids)]);
  return rows.map(toOrderStatusSnapshot);
}

/** A drip-feed run or subscription post as its parent's `status` counts it: its id and what it costs now. */
export interface ChildCharge {
  readonly id: number;
  readonly parentId: number;
  readonly charge: bigint;
  readonly refunded: bigint;
}

interface ChildChargeRow {
  id: bigint;
  parent_id: bigint;
  charge: bigint;
  refunded: bigint;
}

/** The children of these parents, oldest first. */
export async function findChildCharges(q: Queryable, parentIds: readonly number[]): Promise<ChildCharge[]> {
  if (parentIds.length === 0) return [];
  const rows = await q.all<ChildChargeRow>(selectChildren, [idArray(q, parentIds)]);
  return rows.map((row) => ({
    id: Number(row.id),
    parentId: Number(row.parent_id),
    charge: row.charge,
    refunded: row.refunded,
  }));
}

export interface StatusChange {
  readonly id: number;
  readonly from: OrderStatus;
  readonly to: OrderStatus;
  readonly startCount: number;
  readonly remains: number;
  readonly refunded: bigint;
  readonly activeLink: string | null;
  readonly completedAt: number | null;
  readonly now: number;
}

/** Compare-and-set on the old status: resolves to false when someone else changed the order first. */
export async function updateOrderStatus(q: Queryable, change: StatusChange): Promise<boolean> {
  const changed = await q.run(updateStatusSql, [
    change.to,
    change.startCount,
    change.remains,
    change.refunded,
    change.activeLink,
    change.completedAt,
    change.now,
    change.id,
    change.from,
  ]);
  return changed === 1;
}

const lockOrderSql = sqlByDialect({
  sqlite: 'SELECT id FROM orders WHERE id = ?',
  postgres: 'SELECT id FROM orders WHERE id = ? FOR UPDATE',
});

/**
 * Locks an order row until the transaction ends (PostgreSQL; SQLite serialises writes anyway).
 * A parent (drip-feed, subscription) is locked before any of its children, by everyone, so they
 * never deadlock.
 */
export async function lockOrderRow(q: Queryable, id: number): Promise<boolean> {
  return (await q.get(lockOrderSql, [id])) !== undefined;
}
