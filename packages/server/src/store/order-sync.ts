import type { OrderStatus } from '../domain/order-status.js';
import { claimByDialect, idArray, type Queryable, sql, sqlByDialect } from './database.js';
import { ORDER_COLUMNS, type Order, type OrderRow, toOrder } from './order-row.js';

/**
 * Orders in flight at their providers, followed by status checks: the claim of a provider's due
 * orders, the batch's locks, and the provider's progress written for a whole batch at once.
 */
const SYNC_PICK = `SELECT id FROM orders WHERE provider_id = ? AND next_sync_at <= ?
   ORDER BY next_sync_at LIMIT ?`;
const SYNC_UPDATE = `UPDATE orders SET next_sync_at = ? WHERE id IN (%PICK%) AND next_sync_at <= ?
   RETURNING id, provider_order_id`;
const claimDueSyncSql = claimByDialect(SYNC_UPDATE, SYNC_PICK, 'FOR UPDATE SKIP LOCKED');
const stopSyncSql = sql('UPDATE orders SET next_sync_at = NULL WHERE id = ?');
const syncSoonSql = sql('UPDATE orders SET next_sync_at = ? WHERE id = ? AND next_sync_at IS NOT NULL');

/** An order due for a status check, by its id here and at its provider. */
export interface SyncTarget {
  readonly id: number;
  readonly providerOrderId: string;
}

/**
 * Claims up to `limit` of a provider's orders due for a status check, pushing their next check to
 * `nextSyncAt`: another worker will not ask about them again before then, and a worker that dies
 * holding them only delays their next check. Asking a provider twice changes nothing, so this is
 * all the claim status polling needs.
 */
export async function claimDueSync(
  q: Queryable,
  claim: { providerId: number; now: number; nextSyncAt: number; limit: number },
): Promise<SyncTarget[]> {
  const rows = await q.all<{ id: bigint; provider_order_id: string }>(claimDueSyncSql, [
    claim.nextSyncAt,
    claim.providerId,
    claim.now,
    claim.limit,
    claim.now,
  ]);
  return rows.map((row) => ({ id: Number(row.id), providerOrderId: row.provider_order_id }));
}

/** Nothing left to follow (the order is final). */
export async function stopSync(q: Queryable, id: number): Promise<void> {
  await q.run(stopSyncSql, [id]);
}

/** Asks for an early status check (after a cancel was forwarded, say). */
export async function syncSoon(q: Queryable, id: number, at: number): Promise<void> {
  await q.run(syncSoonSql, [at, id]);
}

// ——— a batch's reads and writes ———

const selectParentIdsSql = sqlByDialect({
  sqlite: `SELECT DISTINCT parent_id FROM orders
           WHERE id IN (SELECT value FROM json_each(?)) AND parent_id IS NOT NULL ORDER BY parent_id`,
  postgres: `SELECT DISTINCT parent_id FROM orders
             WHERE id = ANY(?::bigint[]) AND parent_id IS NOT NULL ORDER BY parent_id`,
});
const lockOrdersSql = sqlByDialect({
  sqlite: `SELECT ${ORDER_COLUMNS} FROM orders WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  postgres: `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ANY(?::bigint[]) ORDER BY id FOR UPDATE`,
});
// Compare-and-set on each order's status, as one statement for the batch.
const recordProgressManySql = sqlByDialect({
  sqlite: `UPDATE orders SET start_count = v.start_count, remains = v.remains, provider_status = v.provider_status,
             provider_charge = v.provider_charge, provider_currency = v.provider_currency,
             provider_cost = v.provider_cost, synced_at = ?,
             updated_at = ?
           FROM (SELECT value->>'$.id' AS id, value->>'$.status' AS status, value->>'$.startCount' AS start_count,
                   value->>'$.remains' AS remains, value->>'$.providerStatus' AS provider_status,
                   value->>'$.providerCharge' AS provider_charge, value->>'$.providerCurrency' AS provider_currency,
                   value->>'$.providerCost' AS provider_cost
                 FROM json_each(?)) AS v
           WHERE orders.id = v.id AND orders.status = v.status`,
  postgres: `UPDATE orders o SET start_count = v."startCount", remains = v.remains,
               provider_status = v."providerStatus", provider_charge = v."providerCharge",
               provider_currency = v."providerCurrency", provider_cost = v."providerCost", synced_at = ?,
               updated_at = ?
             FROM json_to_recordset(?::json) AS v(id bigint, status text, "startCount" bigint, remains bigint,
               "providerStatus" text, "providerCharge" bigint, "providerCurrency" text,
               "providerCost" bigint)
             WHERE o.id = v.id AND o.status = v.status`,
});

/** The parents (drip-feed, subscription) of these orders, in id order. */
export async function findParentIds(q: Queryable, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await q.all<{ parent_id: bigint }>(selectParentIdsSql, [idArray(q, ids)]);
  return rows.map((row) => Number(row.parent_id));
}

/** Reads these orders and, on PostgreSQL, locks them (in id order) until the transaction ends. */
export async function lockOrders(q: Queryable, ids: readonly number[]): Promise<Order[]> {
  if (ids.length === 0) return [];
  return (await q.all<OrderRow>(lockOrdersSql, [idArray(q, ids)])).map(toOrder);
}

/** The provider's view of an order: its raw status, counts and charge to us. */
export interface ProgressUpdate {
  readonly id: number;
  /** Written only if the order still has this status. */
  readonly status: OrderStatus;
  readonly startCount: number;
  readonly remains: number;
  readonly providerStatus: string;
  readonly providerCharge: bigint | null;
  readonly providerCurrency: string | null;
  /** The charge in the panel's currency (converted when recorded); null when it has no rate. */
  readonly providerCost: bigint | null;
}

export async function recordProviderProgressMany(
  q: Queryable,
  updates: readonly ProgressUpdate[],
  now: number,
): Promise<void> {
  if (updates.length === 0) return;
  const json = JSON.stringify(updates, (_key, value: unknown) =>
    typeof value === 'bigint' ? Number(value) : value,
  );
  await q.run(recordProgressManySql, [now, now, json]);
}
