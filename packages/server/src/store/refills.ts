import {
  type KindAndStatus,
  type RefillStatus,
  readKindAndStatus,
  readRefillStatus,
} from '../domain/order-status.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, type SqlValue, dynamicSql, idArray, sql, sqlByDialect } from './database.js';

/** A refill request of an order. */
export interface Refill {
  readonly id: number;
  readonly orderId: number;
  readonly userId: number;
  readonly status: RefillStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface RefillRow {
  id: bigint;
  order_id: bigint;
  user_id: bigint;
  status: string;
  created_at: bigint;
  updated_at: bigint;
}

function toRefill(row: RefillRow): Refill {
  return {
    id: Number(row.id),
    orderId: Number(row.order_id),
    userId: Number(row.user_id),
    status: readRefillStatus(row.status),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** What the refill rules read about an order: its state and its service's refill settings. */
export type RefillableOrder = {
  readonly id: number;
  readonly completedAt: number | null;
  readonly serviceRefill: boolean;
  readonly refillDays: number;
} & KindAndStatus;

interface RefillableOrderRow {
  id: bigint;
  kind: string;
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
// Only what `refill_status` answers: the other four columns of 100 rows cost a third of the read.
const selectOwnRefillStatuses = sqlByDialect({
  sqlite: 'SELECT id, status FROM refills WHERE user_id = ? AND id IN (SELECT value FROM json_each(?))',
  postgres: 'SELECT id, status FROM refills WHERE user_id = ? AND id = ANY(?::bigint[])',
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
export async function findOwnRefillableOrder(
  q: Queryable,
  userId: number,
  orderId: number,
): Promise<RefillableOrder | undefined> {
  const row = await q.get<RefillableOrderRow>(selectOwnRefillableOrder, [orderId, userId]);
  return (
    row && {
      id: Number(row.id),
      ...readKindAndStatus(row.kind, row.status),
      completedAt: numberOrNull(row.completed_at),
      serviceRefill: row.service_refill === 1n,
      refillDays: Number(row.refill_days),
    }
  );
}

/** The order's most recent refill: the open one if any (at most one is open, and it is the newest). */
export async function findLatestRefill(q: Queryable, orderId: number): Promise<Refill | undefined> {
  const row = await q.get<RefillRow>(selectLatestRefill, [orderId]);
  return row && toRefill(row);
}

/** Every refill of an order, oldest first. */
export async function findRefillsForOrder(q: Queryable, orderId: number): Promise<Refill[]> {
  return (await q.all<RefillRow>(selectRefillsForOrder, [orderId])).map(toRefill);
}

export async function findRefill(q: Queryable, id: number): Promise<Refill | undefined> {
  const row = await q.get<RefillRow>(selectRefill, [id]);
  return row && toRefill(row);
}

export async function findOwnRefill(q: Queryable, userId: number, id: number): Promise<Refill | undefined> {
  const row = await q.get<RefillRow>(selectOwnRefill, [id, userId]);
  return row && toRefill(row);
}

/** The statuses of the user's refills among these ids, by id; another user's refill is absent. */
export async function findOwnRefillStatuses(
  q: Queryable,
  userId: number,
  ids: readonly number[],
): Promise<Map<number, RefillStatus>> {
  const statuses = new Map<number, RefillStatus>();
  if (ids.length === 0) return statuses;
  const rows = await q.all<{ id: bigint; status: string }>(selectOwnRefillStatuses, [
    userId,
    idArray(q, ids),
  ]);
  for (const row of rows) statuses.set(Number(row.id), readRefillStatus(row.status));
  return statuses;
}

/** Compare-and-set on the old status: resolves to false when someone else changed the refill first. */
export async function updateRefillStatus(
  q: Queryable,
  change: { id: number; from: RefillStatus; to: RefillStatus; now: number },
): Promise<boolean> {
  const changed = await q.run(updateRefillStatusSql, [change.to, change.now, change.id, change.from]);
  return changed === 1;
}

// ——— the web panel's refill pages ———

/** A refill as the panel lists it: with its order's link, its service and its owner. */
export interface RefillOverview extends Refill {
  readonly username: string;
  readonly link: string | null;
  readonly serviceName: string;
}

interface RefillOverviewRow extends RefillRow {
  username: string;
  link: string | null;
  service_name: string;
}

/** Refills newest first: one user's, or everyone's (admin), optionally of one status. */
export async function queryRefills(
  q: Queryable,
  filter: {
    userId?: number | undefined;
    status?: RefillStatus | undefined;
    /** One refill (the admin API's show). */
    id?: number | undefined;
    /** A keyset page: refills with a smaller id. */
    beforeId?: number | undefined;
    limit: number;
    offset: number;
  },
): Promise<RefillOverview[]> {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  if (filter.id !== undefined) {
    conditions.push('r.id = ?');
    params.push(filter.id);
  }
  if (filter.beforeId !== undefined) {
    conditions.push('r.id < ?');
    params.push(filter.beforeId);
  }
  if (filter.userId !== undefined) {
    conditions.push('r.user_id = ?');
    params.push(filter.userId);
  }
  if (filter.status !== undefined) {
    conditions.push('r.status = ?');
    params.push(filter.status);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = await q.all<RefillOverviewRow>(
    dynamicSql(
      `SELECT r.id, r.order_id, r.user_id, u.username, r.status, o.link, s.name AS service_name, r.created_at,
         r.updated_at
       FROM refills r JOIN orders o ON o.id = r.order_id JOIN services s ON s.id = o.service_id
       JOIN users u ON u.id = r.user_id ${where} ORDER BY r.id DESC LIMIT ? OFFSET ?`,
    ),
    [...params, filter.limit, filter.offset],
  );
  return rows.map((row) => ({
    ...toRefill(row),
    username: row.username,
    link: row.link,
    serviceName: row.service_name,
  }));
}
