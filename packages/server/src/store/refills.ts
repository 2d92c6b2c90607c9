import type { RefillStatus } from '../domain/order-status.js';
import { type Queryable, sql, sqlByDialect } from './database.js';
import { type OrderKind, idArray } from './orders.js';

export interface RefillRow {
  id: bigint;
  order_id: bigint;
  user_id: bigint;
  status: RefillStatus;
  created_at: bigint;
  updated_at: bigint;
}

/** What the refill rules read about an order: its state and its service's refill settings. */
export interface RefillableOrderRow {
  id: bigint;
  kind: OrderKind;
  status: string;
  completed_at: bigint | null;
  service_refill: bigint;
  refill_days: bigint;
}

const REFILL_COLUMNS = 'id, order_id, user_id, status, created_at, updated_at';

// ON CONFLICT DO NOTHING: the only unique index an insert can hit is "one open refill per order".
// A refill of an order its provider has is queued for forwarding; the others wait for the admin.
const insertRefillSql = sql(
  `INSERT INTO refills (order_id, user_id, status, dispatch_state, dispatch_after, created_at, updated_at)
   SELECT id, ?, 'pending', CASE WHEN provider_order_id IS NOT NULL THEN 'queued' ELSE 'manual' END, ?, ?, ?
   FROM orders WHERE id = ?
   ON CONFLICT DO NOTHING RETURNING id`,
);
// PostgreSQL locks the order row, so requests for one order are decided one after another;
// SQLite runs every write transaction alone on its writer connection already.
const selectOwnRefillableOrder = sqlByDialect({
  sqlite: `SELECT o.id, o.kind, o.status, o.completed_at, s.refill AS service_refill, s.refill_days
           FROM orders o JOIN services s ON s.id = o.service_id WHERE o.id = ? AND o.user_id = ?`,
  postgres: `SELECT o.id, o.kind, o.status, o.completed_at, s.refill AS service_refill, s.refill_days
             FROM orders o JOIN services s ON s.id = o.service_id WHERE o.id = ? AND o.user_id = ?
             FOR UPDATE OF o`,
});
const selectLatestRefill = sql(
  `SELECT ${REFILL_COLUMNS} FROM refills WHERE order_id = ? ORDER BY id DESC LIMIT 1`,
);
const selectRefillsForOrder = sql(`SELECT ${REFILL_COLUMNS} FROM refills WHERE order_id = ? ORDER BY id`);
const selectRefill = sql(`SELECT ${REFILL_COLUMNS} FROM refills WHERE id = ?`);
const selectOwnRefill = sql(`SELECT ${REFILL_COLUMNS} FROM refills WHERE id = ? AND user_id = ?`);
// One statement for any number of ids: a JSON array on SQLite, an array parameter on PostgreSQL.
const selectOwnRefills = sqlByDialect({
  sqlite: `SELECT ${REFILL_COLUMNS} FROM refills WHERE user_id = ? AND id IN (SELECT value FROM json_each(?))`,
  postgres: `SELECT ${REFILL_COLUMNS} FROM refills WHERE user_id = ? AND id = ANY(?::bigint[])`,
});
const updateRefillStatusSql = sql(
  'UPDATE refills SET status = ?, updated_at = ? WHERE id = ? AND status = ?',
);

/** Resolves to the new refill's id, or null when the order already has an open refill. */
export async function insertRefill(
  q: Queryable,
  refill: { orderId: number; userId: number; now: number },
): Promise<number | null> {
  const row = await q.get<{ id: bigint }>(insertRefillSql, [
    refill.userId,
    refill.now,
    refill.now,
    refill.now,
    refill.orderId,
  ]);
  return row ? Number(row.id) : null;
}

/** The caller's order with its service's refill settings; locked for the transaction on PostgreSQL. */
export function findOwnRefillableOrder(
  q: Queryable,
  userId: number,
  orderId: number,
): Promise<RefillableOrderRow | undefined> {
  return q.get<RefillableOrderRow>(selectOwnRefillableOrder, [orderId, userId]);
}

/** The order's most recent refill: the open one if any (at most one is open, and it is the newest). */
export function findLatestRefill(q: Queryable, orderId: number): Promise<RefillRow | undefined> {
  return q.get<RefillRow>(selectLatestRefill, [orderId]);
}

/** Every refill of an order, oldest first. */
export function findRefillsForOrder(q: Queryable, orderId: number): Promise<RefillRow[]> {
  return q.all<RefillRow>(selectRefillsForOrder, [orderId]);
}

export function findRefill(q: Queryable, id: number): Promise<RefillRow | undefined> {
  return q.get<RefillRow>(selectRefill, [id]);
}

export function findOwnRefill(q: Queryable, userId: number, id: number): Promise<RefillRow | undefined> {
  return q.get<RefillRow>(selectOwnRefill, [id, userId]);
}

export function findOwnRefills(q: Queryable, userId: number, ids: readonly number[]): Promise<RefillRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return q.all<RefillRow>(selectOwnRefills, [userId, idArray(q, ids)]);
}

/** Compare-and-set on the old status: resolves to false when someone else changed the refill first. */
export async function updateRefillStatus(
  q: Queryable,
  change: { id: number; from: RefillStatus; to: RefillStatus; now: number },
): Promise<boolean> {
  const changed = await q.run(updateRefillStatusSql, [change.to, change.now, change.id, change.from]);
  return changed === 1;
}
