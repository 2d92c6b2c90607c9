import type { ServiceTypeName } from '../domain/service-types.js';
import { type Queryable, sql, sqlByDialect } from './database.js';
import { ORDER_COLUMNS, type OrderRow, idArray } from './orders.js';

/**
 * Orders on their way to providers. The dispatch states (see migration 0004): queued → submitting
 * → sent | review | refused. Every move is a compare-and-set on the state it leaves, so two
 * workers, a worker and an admin, or a worker and its own restart never both act on one order.
 */
export type DispatchState = 'manual' | 'queued' | 'submitting' | 'sent' | 'review' | 'refused';

/** A claimed order with everything the call to its provider needs. */
export interface ClaimedOrderRow {
  id: bigint;
  user_id: bigint;
  kind: 'order' | 'dripfeed' | 'subscription';
  parent_id: bigint | null;
  link: string | null;
  quantity: bigint;
  details: string;
  type: ServiceTypeName;
  provider_id: bigint;
  provider_service_id: string | null;
  dispatch_attempts: bigint;
}

// The subquery picks due queued orders of providers that are not paused, oldest first (in the
// order of the orders_dispatch index: no sort, however long the backlog); PostgreSQL skips rows
// another worker is claiming. The outer condition repeats the state: the compare-and-set.
const CLAIM_PICK = `SELECT o.id FROM orders o JOIN providers p ON p.id = o.provider_id
   WHERE o.dispatch_state = 'queued' AND o.dispatch_after <= ? AND o.status IN ('pending', 'active')
     AND (p.paused_until IS NULL OR p.paused_until <= ?)
   ORDER BY o.dispatch_after, o.id LIMIT ?`;
const CLAIM_UPDATE = `UPDATE orders SET dispatch_state = 'submitting', dispatch_attempts = dispatch_attempts + 1,
     dispatch_lease_until = ?, updated_at = ?
   WHERE id IN (%PICK%) AND dispatch_state = 'queued' AND status IN ('pending', 'active') RETURNING id`;
const claimQueuedSql = sqlByDialect({
  sqlite: CLAIM_UPDATE.replace('%PICK%', CLAIM_PICK),
  postgres: CLAIM_UPDATE.replace('%PICK%', `${CLAIM_PICK} FOR UPDATE OF o SKIP LOCKED`),
});
// Due resends: at a provider that replays a repeated request_id, orders still `submitting` whose
// lease ran out (their worker died, or an unknown outcome set the lease to the time of the resend).
// They never go back to `queued`: the provider may have them, so a customer's cancel must be
// forwarded, not refunded at once. Few rows: `submitting` ones only.
const RESEND_PICK = `SELECT o.id FROM orders o JOIN providers p ON p.id = o.provider_id
   WHERE o.dispatch_state = 'submitting' AND o.dispatch_lease_until < ? AND p.honours_request_id = 1
     AND o.status IN ('pending', 'active') AND (p.paused_until IS NULL OR p.paused_until <= ?)
   ORDER BY o.dispatch_lease_until, o.id LIMIT ?`;
const RESEND_UPDATE = `UPDATE orders SET dispatch_attempts = dispatch_attempts + 1, dispatch_lease_until = ?, updated_at = ?
   WHERE id IN (%PICK%) AND dispatch_state = 'submitting' AND dispatch_lease_until < ?
     AND status IN ('pending', 'active') RETURNING id`;
const claimResendsSql = sqlByDialect({
  sqlite: RESEND_UPDATE.replace('%PICK%', RESEND_PICK),
  postgres: RESEND_UPDATE.replace('%PICK%', `${RESEND_PICK} FOR UPDATE OF o SKIP LOCKED`),
});
const CLAIMED_COLUMNS = `o.id, o.user_id, o.kind, o.parent_id, o.link, o.quantity, o.details, s.type, o.provider_id,
  o.provider_service_id, o.dispatch_attempts`;
const selectClaimedSql = sqlByDialect({
  sqlite: `SELECT ${CLAIMED_COLUMNS} FROM orders o JOIN services s ON s.id = o.service_id
           WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id`,
  postgres: `SELECT ${CLAIMED_COLUMNS} FROM orders o JOIN services s ON s.id = o.service_id
             WHERE o.id = ANY(?::bigint[]) ORDER BY o.id`,
});

const recordSentSql = sql(
  `UPDATE orders SET dispatch_state = 'sent', provider_order_id = ?, dispatch_error = NULL,
     dispatch_lease_until = NULL, next_sync_at = ?, updated_at = ?
   WHERE id = ? AND provider_order_id IS NULL AND dispatch_state IN ('submitting', 'queued', 'review')`,
);
const requeueSql = sql(
  `UPDATE orders SET dispatch_state = 'queued', dispatch_after = ?, dispatch_error = ?,
     dispatch_lease_until = NULL, updated_at = ?
   WHERE id = ? AND dispatch_state = ?`,
);
const deferResendSql = sql(
  `UPDATE orders SET dispatch_after = ?, dispatch_lease_until = ?, dispatch_error = ?, updated_at = ?
   WHERE id = ? AND dispatch_state = 'submitting'`,
);
const holdForReviewSql = sql(
  `UPDATE orders SET dispatch_state = 'review', dispatch_error = ?, dispatch_lease_until = NULL, updated_at = ?
   WHERE id = ? AND dispatch_state = ?`,
);
const markRefusedSql = sql(
  `UPDATE orders SET dispatch_state = 'refused', dispatch_error = ?, dispatch_lease_until = NULL, updated_at = ?
   WHERE id = ? AND dispatch_state = ?`,
);
const EXPIRED_PICK = `SELECT o.id FROM orders o JOIN providers p ON p.id = o.provider_id
   WHERE o.dispatch_state = 'submitting' AND o.dispatch_lease_until < ? AND p.honours_request_id = 0
   ORDER BY o.id LIMIT ?`;
const selectExpiredLeasesSql = sqlByDialect({
  sqlite: EXPIRED_PICK,
  postgres: `${EXPIRED_PICK} FOR UPDATE OF o SKIP LOCKED`,
});
const pauseProviderSql = sql(
  'UPDATE providers SET paused_until = ?, last_error = ?, last_error_at = ?, updated_at = ? WHERE id = ?',
);
const recordProviderErrorSql = sql(
  'UPDATE providers SET last_error = ?, last_error_at = ?, updated_at = ? WHERE id = ?',
);

/**
 * Claims up to `limit` due orders, resends first (see RESEND_PICK and CLAIM_PICK): they are
 * `submitting` with a new lease, and count one more attempt. The caller commits before calling
 * any provider, so a crash after this point can never make an order look unsent.
 */
export async function claimQueuedOrders(
  q: Queryable,
  claim: { now: number; leaseUntil: number; limit: number },
): Promise<number[]> {
  const { now, leaseUntil, limit } = claim;
  const resends = await q.all<{ id: bigint }>(claimResendsSql, [leaseUntil, now, now, now, limit, now]);
  const queued =
    resends.length < limit
      ? await q.all<{ id: bigint }>(claimQueuedSql, [leaseUntil, now, now, now, limit - resends.length])
      : [];
  return [...resends, ...queued].map((row) => Number(row.id));
}

export function findClaimedOrders(q: Queryable, ids: readonly number[]): Promise<ClaimedOrderRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return q.all<ClaimedOrderRow>(selectClaimedSql, [idArray(q, ids)]);
}

/**
 * Stores the provider's order id. Accepted from any state short of `sent`: a slow call whose lease
 * expired (the order was requeued or put up for review meanwhile) still reports the truth.
 */
export async function recordSent(
  q: Queryable,
  sent: { id: number; providerOrderId: string; nextSyncAt: number; now: number },
): Promise<boolean> {
  const changed = await q.run(recordSentSql, [sent.providerOrderId, sent.nextSyncAt, sent.now, sent.id]);
  return changed === 1;
}

export async function requeueOrder(
  q: Queryable,
  requeue: { id: number; from: DispatchState; after: number; error: string; now: number },
): Promise<boolean> {
  const args = [requeue.after, requeue.error, requeue.now, requeue.id, requeue.from];
  return (await q.run(requeueSql, args)) === 1;
}

/**
 * An unknown outcome at a provider that replays request_id: the order stays `submitting` (it may be
 * at the provider) and its lease becomes the time of the resend, when the claim takes it again.
 */
export async function deferResend(
  q: Queryable,
  resend: { id: number; at: number; error: string; now: number },
): Promise<boolean> {
  const args = [resend.at, resend.at, resend.error, resend.now, resend.id];
  return (await q.run(deferResendSql, args)) === 1;
}

export async function holdForReview(
  q: Queryable,
  hold: { id: number; from: DispatchState; reason: string; now: number },
): Promise<boolean> {
  return (await q.run(holdForReviewSql, [hold.reason, hold.now, hold.id, hold.from])) === 1;
}

export async function markRefused(
  q: Queryable,
  refused: { id: number; from: DispatchState; reason: string; now: number },
): Promise<boolean> {
  return (await q.run(markRefusedSql, [refused.reason, refused.now, refused.id, refused.from])) === 1;
}

/**
 * Orders whose worker's lease ran out while `submitting` (it died or hung mid-call) at providers
 * that do not replay request_id; at the others, the claim resends them.
 */
export function findExpiredLeases(q: Queryable, now: number, limit: number): Promise<{ id: bigint }[]> {
  return q.all(selectExpiredLeasesSql, [now, limit]);
}

/** Stops sending to a provider until `until` (its balance ran out, or it is down). */
export async function pauseProvider(
  q: Queryable,
  pause: { id: number; until: number; error: string; now: number },
): Promise<void> {
  await q.run(pauseProviderSql, [pause.until, pause.error, pause.now, pause.now, pause.id]);
}

export async function recordProviderError(
  q: Queryable,
  error: { id: number; error: string; now: number },
): Promise<void> {
  await q.run(recordProviderErrorSql, [error.error, error.now, error.now, error.id]);
}

// ——— sync ———

export interface SyncTargetRow {
  id: bigint;
  provider_order_id: string;
}

const SYNC_PICK = `SELECT id FROM orders WHERE provider_id = ? AND next_sync_at <= ?
   ORDER BY next_sync_at LIMIT ?`;
const SYNC_UPDATE = `UPDATE orders SET next_sync_at = ? WHERE id IN (%PICK%) AND next_sync_at <= ?
   RETURNING id, provider_order_id`;
const claimDueSyncSql = sqlByDialect({
  sqlite: SYNC_UPDATE.replace('%PICK%', SYNC_PICK),
  postgres: SYNC_UPDATE.replace('%PICK%', `${SYNC_PICK} FOR UPDATE SKIP LOCKED`),
});
const stopSyncSql = sql('UPDATE orders SET next_sync_at = NULL WHERE id = ?');
const syncSoonSql = sql('UPDATE orders SET next_sync_at = ? WHERE id = ? AND next_sync_at IS NOT NULL');
const selectSyncProvidersSql = sql(`SELECT id, name, url, api_key FROM providers ORDER BY id`);

/**
 * Claims up to `limit` of a provider's orders due for a status check, pushing their next check to
 * `nextSyncAt`: another worker will not ask about them again before then, and a worker that dies
 * holding them only delays their next check. Asking a provider twice changes nothing, so this is
 * all the claim status polling needs.
 */
export function claimDueSync(
  q: Queryable,
  claim: { providerId: number; now: number; nextSyncAt: number; limit: number },
): Promise<SyncTargetRow[]> {
  return q.all<SyncTargetRow>(claimDueSyncSql, [
    claim.nextSyncAt,
    claim.providerId,
    claim.now,
    claim.limit,
    claim.now,
  ]);
}

/** Nothing left to follow (the order is final). */
export async function stopSync(q: Queryable, id: number): Promise<void> {
  await q.run(stopSyncSql, [id]);
}

/** Asks for an early status check (after a cancel was forwarded, say). */
export async function syncSoon(q: Queryable, id: number, at: number): Promise<void> {
  await q.run(syncSoonSql, [at, id]);
}

export async function listSyncProviders(
  q: Queryable,
): Promise<{ id: number; name: string; url: string; apiKey: string }[]> {
  const rows = await q.all<{ id: bigint; name: string; url: string; api_key: string }>(
    selectSyncProvidersSql,
  );
  return rows.map((row) => ({ id: Number(row.id), name: row.name, url: row.url, apiKey: row.api_key }));
}

// ——— review ———

export interface ReviewRow {
  id: bigint;
  user_id: bigint;
  username: string;
  service_id: bigint;
  provider_id: bigint | null;
  provider_name: string | null;
  status: string;
  dispatch_attempts: bigint;
  dispatch_error: string | null;
  created_at: bigint;
  updated_at: bigint;
}

const selectReviewSql = sql(
  `SELECT o.id, o.user_id, u.username, o.service_id, o.provider_id, p.name AS provider_name, o.status,
     o.dispatch_attempts, o.dispatch_error, o.created_at, o.updated_at
   FROM orders o JOIN users u ON u.id = o.user_id LEFT JOIN providers p ON p.id = o.provider_id
   WHERE o.dispatch_state = 'review' ORDER BY o.id LIMIT ?`,
);

/** Orders that wait for a human: an unknown outcome at a provider that does not replay, or a refusal held. */
export function listReview(q: Queryable, limit: number): Promise<ReviewRow[]> {
  return q.all<ReviewRow>(selectReviewSql, [limit]);
}

const linkProviderOrderSql = sql(
  `UPDATE orders SET dispatch_state = 'sent', provider_order_id = ?, dispatch_error = NULL, next_sync_at = ?,
     updated_at = ?
   WHERE id = ? AND dispatch_state = 'review'`,
);

const selectByProviderOrderSql = sql('SELECT id FROM orders WHERE provider_id = ? AND provider_order_id = ?');

/** Our order already linked to this provider order, if any. */
export async function findByProviderOrder(
  q: Queryable,
  providerId: number,
  providerOrderId: string,
): Promise<number | null> {
  const row = await q.get<{ id: bigint }>(selectByProviderOrderSql, [providerId, providerOrderId]);
  return row ? Number(row.id) : null;
}

const takeOverSql = sql(
  `UPDATE orders SET dispatch_state = 'manual', dispatch_error = NULL, next_sync_at = NULL, updated_at = ?
   WHERE id = ? AND dispatch_state = 'review'`,
);

const resetAttemptsSql = sql('UPDATE orders SET dispatch_attempts = 0 WHERE id = ?');

/** A fresh start after the owner's decision: the retry budget counts from zero again. */
export async function resetDispatchAttempts(q: Queryable, id: number): Promise<void> {
  await q.run(resetAttemptsSql, [id]);
}

/** The owner fulfils the order by hand from now on (`order update` moves it along). */
export async function takeOverOrder(q: Queryable, id: number, now: number): Promise<boolean> {
  return (await q.run(takeOverSql, [now, id])) === 1;
}

/** The admin found the order at the provider: link it, and sync follows it from now on. */
export async function linkProviderOrder(
  q: Queryable,
  link: { id: number; providerOrderId: string; now: number },
): Promise<boolean> {
  return (await q.run(linkProviderOrderSql, [link.providerOrderId, link.now, link.now, link.id])) === 1;
}

// ——— forwarded subscriptions ———

const selectKnownProviderOrdersSql = sqlByDialect({
  sqlite: `SELECT provider_order_id FROM orders
           WHERE provider_id = ? AND provider_order_id IN (SELECT value FROM json_each(?))`,
  postgres:
    'SELECT provider_order_id FROM orders WHERE provider_id = ? AND provider_order_id = ANY(?::text[])',
});
const linkForwardedPostSql = sql(
  `UPDATE orders SET provider_id = ?, provider_order_id = ?, dispatch_state = 'sent', next_sync_at = ?,
     updated_at = ?
   WHERE id = ? AND provider_order_id IS NULL`,
);

/** Which of these provider order ids are linked to one of our orders already. */
export async function findKnownProviderOrders(
  q: Queryable,
  providerId: number,
  providerOrderIds: readonly string[],
): Promise<string[]> {
  if (providerOrderIds.length === 0) return [];
  const list =
    q.dialect === 'sqlite'
      ? JSON.stringify(providerOrderIds)
      : `{${providerOrderIds.map((id) => `"${id.replace(/[\\"]/g, '')}"`).join(',')}}`;
  const rows = await q.all<{ provider_order_id: string }>(selectKnownProviderOrdersSql, [providerId, list]);
  return rows.map((row) => row.provider_order_id);
}

/**
 * A post the provider made for a forwarded subscription, just created here as a child order: it is
 * the provider's order already, so sync follows it from now on.
 */
export async function linkForwardedPost(
  q: Queryable,
  post: { id: number; providerId: number; providerOrderId: string; now: number },
): Promise<void> {
  const changed = await q.run(linkForwardedPostSql, [
    post.providerId,
    post.providerOrderId,
    post.now,
    post.now,
    post.id,
  ]);
  if (changed !== 1) throw new Error(`post ${post.id} was linked already`);
}

const selectProviderRateSql = sql('SELECT provider_rate FROM services WHERE id = ?');

/** What the provider charges per 1000 for this service (recorded at import and sync), if known. */
export async function findProviderRate(q: Queryable, serviceId: number): Promise<bigint | null> {
  const row = await q.get<{ provider_rate: bigint | null }>(selectProviderRateSql, [serviceId]);
  return row?.provider_rate ?? null;
}

// ——— sync: batch reads and writes ———

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
             provider_charge = v.provider_charge, provider_currency = v.provider_currency, synced_at = ?,
             updated_at = ?
           FROM (SELECT value->>'$.id' AS id, value->>'$.status' AS status, value->>'$.startCount' AS start_count,
                   value->>'$.remains' AS remains, value->>'$.providerStatus' AS provider_status,
                   value->>'$.providerCharge' AS provider_charge, value->>'$.providerCurrency' AS provider_currency
                 FROM json_each(?)) AS v
           WHERE orders.id = v.id AND orders.status = v.status`,
  postgres: `UPDATE orders o SET start_count = v."startCount", remains = v.remains,
               provider_status = v."providerStatus", provider_charge = v."providerCharge",
               provider_currency = v."providerCurrency", synced_at = ?, updated_at = ?
             FROM json_to_recordset(?::json) AS v(id bigint, status text, "startCount" bigint, remains bigint,
               "providerStatus" text, "providerCharge" bigint, "providerCurrency" text)
             WHERE o.id = v.id AND o.status = v.status`,
});

/** The parents (drip-feed, subscription) of these orders, in id order. */
export async function findParentIds(q: Queryable, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await q.all<{ parent_id: bigint }>(selectParentIdsSql, [idArray(q, ids)]);
  return rows.map((row) => Number(row.parent_id));
}

/** Reads these orders and, on PostgreSQL, locks them (in id order) until the transaction ends. */
export function lockOrders(q: Queryable, ids: readonly number[]): Promise<OrderRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return q.all<OrderRow>(lockOrdersSql, [idArray(q, ids)]);
}

/** The provider's view of an order: its raw status, counts and charge to us. */
export interface ProgressUpdate {
  readonly id: number;
  /** Written only if the order still has this status. */
  readonly status: string;
  readonly startCount: number;
  readonly remains: number;
  readonly providerStatus: string;
  readonly providerCharge: bigint | null;
  readonly providerCurrency: string | null;
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
