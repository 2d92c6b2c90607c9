import { type Queryable, sql, sqlByDialect } from './database.js';

export type OrderKind = 'order' | 'dripfeed' | 'subscription';

export interface OrderRow {
  id: bigint;
  user_id: bigint;
  service_id: bigint;
  kind: OrderKind;
  parent_id: bigint | null;
  status: string;
  link: string | null;
  quantity: bigint;
  runs: bigint | null;
  interval_minutes: bigint | null;
  details: string;
  rate: bigint;
  charge: bigint;
  refunded: bigint;
  start_count: bigint;
  remains: bigint;
  active_link: string | null;
  dispatch_state: string;
  provider_id: bigint | null;
  provider_order_id: string | null;
  dispatch_error: string | null;
  provider_charge: bigint | null;
  provider_currency: string | null;
  created_at: bigint;
  updated_at: bigint;
  completed_at: bigint | null;
}

export interface NewOrder {
  readonly userId: number;
  readonly serviceId: number;
  readonly kind: OrderKind;
  readonly parentId: number | null;
  readonly status: string;
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

export const ORDER_COLUMNS = `id, user_id, service_id, kind, parent_id, status, link, quantity, runs, interval_minutes,
  details, rate, charge, refunded, start_count, remains, active_link, dispatch_state, provider_id, provider_order_id,
  dispatch_error, provider_charge, provider_currency, created_at, updated_at, completed_at`;

// ON CONFLICT DO NOTHING: the unique indexes an insert can hit are the active-link and run-number ones.
const insertOrderSql = sql(
  `INSERT INTO orders (user_id, service_id, kind, parent_id, status, link, quantity, runs, interval_minutes,
     details, rate, charge, remains, active_link, run_number, expires_at, unpaid_posts, next_run_at,
     provider_id, provider_service_id, dispatch_state, dispatch_after, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT DO NOTHING RETURNING id`,
);
const selectOrder = sql(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`);

/** The columns `status` answers from. */
export interface OrderStatusRow {
  id: bigint;
  kind: OrderKind;
  status: string;
  quantity: bigint;
  runs: bigint | null;
  details: string;
  charge: bigint;
  refunded: bigint;
  start_count: bigint;
  remains: bigint;
}

const STATUS_COLUMNS = 'id, kind, status, quantity, runs, details, charge, refunded, start_count, remains';
const selectOwnOrderStatus = sql(`SELECT ${STATUS_COLUMNS} FROM orders WHERE id = ? AND user_id = ?`);
// One statement for any number of ids: a JSON array on SQLite, an array parameter on PostgreSQL.
const selectOwnOrderStatuses = sqlByDialect({
  sqlite: `SELECT ${STATUS_COLUMNS} FROM orders WHERE user_id = ? AND id IN (SELECT value FROM json_each(?))`,
  postgres: `SELECT ${STATUS_COLUMNS} FROM orders WHERE user_id = ? AND id = ANY(?::bigint[])`,
});
const selectChildren = sqlByDialect({
  sqlite: `SELECT id, parent_id, status, charge, refunded FROM orders
           WHERE parent_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  postgres: `SELECT id, parent_id, status, charge, refunded FROM orders WHERE parent_id = ANY(?::bigint[]) ORDER BY id`,
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

export function findOrder(q: Queryable, id: number): Promise<OrderRow | undefined> {
  return q.get<OrderRow>(selectOrder, [id]);
}

export function findOwnOrderStatus(
  q: Queryable,
  userId: number,
  id: number,
): Promise<OrderStatusRow | undefined> {
  return q.get<OrderStatusRow>(selectOwnOrderStatus, [id, userId]);
}

/** An id list as one parameter: a JSON array (SQLite `json_each`) or a `bigint[]` literal (PostgreSQL). */
export function idArray(q: Queryable, ids: readonly number[]): string {
  return q.dialect === 'sqlite' ? JSON.stringify(ids) : `{${ids.join(',')}}`;
}

export function findOwnOrderStatuses(
  q: Queryable,
  userId: number,
  ids: readonly number[],
): Promise<OrderStatusRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return q.all<OrderStatusRow>(selectOwnOrderStatuses, [userId, idArray(q, ids)]);
}

export interface ChildOrderRow {
  id: bigint;
  parent_id: bigint;
  status: string;
  charge: bigint;
  refunded: bigint;
}

export function findChildOrders(q: Queryable, parentIds: readonly number[]): Promise<ChildOrderRow[]> {
  if (parentIds.length === 0) return Promise.resolve([]);
  return q.all<ChildOrderRow>(selectChildren, [idArray(q, parentIds)]);
}

export interface StatusChange {
  readonly id: number;
  readonly from: string;
  readonly to: string;
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

const selectOrderCountsByStatus = sql('SELECT status, COUNT(*) AS count FROM orders GROUP BY status');

/** Orders per status (one aggregate over the status index), for the metrics scrape. */
export async function countOrdersByStatus(db: Queryable): Promise<Map<string, number>> {
  const rows = await db.all<{ status: string; count: bigint }>(selectOrderCountsByStatus);
  return new Map(rows.map((row) => [row.status, Number(row.count)]));
}
