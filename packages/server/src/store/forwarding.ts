import {
  type OrderKind,
  type RefillStatus,
  readOrderKind,
  readRefillStatus,
} from '../domain/order-status.js';
import { claimByDialect, idArray, type Queryable, sql, sqlByDialect } from './database.js';

/**
 * Cancels and refills on their way to providers. A claim marks rows `sending` until a deadline;
 * a worker that dies holding them only delays them: once the deadline passes they are claimed
 * again. Forwarding twice is harmless (a provider refuses a second cancel or refill of an order),
 * so this at-least-once hand-over is all they need.
 */

/** A claimed cancel request or refill, with its order's place at the provider. */
export interface ForwardRequest {
  /** The cancel request's or the refill's id. */
  readonly id: number;
  readonly orderId: number;
  readonly orderKind: OrderKind;
  readonly providerId: number;
  readonly providerOrderId: string;
  /** Attempts so far, this claim included. */
  readonly attempts: number;
}

interface ForwardRequestRow {
  id: bigint;
  order_id: bigint;
  kind: string;
  provider_id: bigint;
  provider_order_id: string;
  dispatch_attempts: bigint;
}

function toForwardRequest(row: ForwardRequestRow): ForwardRequest {
  return {
    id: Number(row.id),
    orderId: Number(row.order_id),
    orderKind: readOrderKind(row.kind),
    providerId: Number(row.provider_id),
    providerOrderId: row.provider_order_id,
    attempts: Number(row.dispatch_attempts),
  };
}

function claimSql(table: 'cancel_requests' | 'refills'): ReturnType<typeof sqlByDialect> {
  const pick = `SELECT f.id FROM ${table} f JOIN orders o ON o.id = f.order_id
     WHERE f.status = 'pending' AND o.provider_order_id IS NOT NULL
       AND (f.dispatch_state = 'queued' OR f.dispatch_state = 'sending') AND f.dispatch_after <= ?
     ORDER BY f.dispatch_after, f.id LIMIT ?`;
  const update = `UPDATE ${table} SET dispatch_state = 'sending', dispatch_after = ?,
       dispatch_attempts = dispatch_attempts + 1, updated_at = ?
     WHERE id IN (%PICK%) RETURNING id`;
  return claimByDialect(update, pick, 'FOR UPDATE OF f SKIP LOCKED');
}

function selectClaimedSql(table: 'cancel_requests' | 'refills'): ReturnType<typeof sqlByDialect> {
  const columns = `f.id, f.order_id, o.kind, o.provider_id, o.provider_order_id, f.dispatch_attempts
     FROM ${table} f JOIN orders o ON o.id = f.order_id`;
  return sqlByDialect({
    sqlite: `SELECT ${columns} WHERE f.id IN (SELECT value FROM json_each(?)) ORDER BY f.id`,
    postgres: `SELECT ${columns} WHERE f.id = ANY(?::bigint[]) ORDER BY f.id`,
  });
}

const claimCancelsSql = claimSql('cancel_requests');
const claimRefillsSql = claimSql('refills');
const selectCancelsSql = selectClaimedSql('cancel_requests');
const selectRefillsSql = selectClaimedSql('refills');

export type ForwardTable = 'cancel' | 'refill';

export async function claimForwards(
  q: Queryable,
  table: ForwardTable,
  claim: { now: number; deadline: number; limit: number },
): Promise<ForwardRequest[]> {
  const rows = await q.all<{ id: bigint }>(table === 'cancel' ? claimCancelsSql : claimRefillsSql, [
    claim.deadline,
    claim.now,
    claim.now,
    claim.limit,
  ]);
  if (rows.length === 0) return [];
  const list = idArray(
    q,
    rows.map((row) => Number(row.id)),
  );
  const claimed = await q.all<ForwardRequestRow>(table === 'cancel' ? selectCancelsSql : selectRefillsSql, [
    list,
  ]);
  return claimed.map(toForwardRequest);
}

const cancelSentSql = sql(
  `UPDATE cancel_requests SET dispatch_state = 'sent', dispatch_error = NULL, updated_at = ?
   WHERE id = ? AND dispatch_state = 'sending'`,
);
const cancelRefusedSql = sql(
  `UPDATE cancel_requests SET dispatch_state = 'refused', dispatch_error = ?, status = 'rejected', updated_at = ?
   WHERE id = ? AND dispatch_state = 'sending' AND status = 'pending'`,
);
const closeCancelSql = sql(
  `UPDATE cancel_requests SET status = 'done', updated_at = ? WHERE id = ? AND status = 'pending'`,
);
const retryCancelSql = sql(
  `UPDATE cancel_requests SET dispatch_state = 'queued', dispatch_after = ?, dispatch_error = ?, updated_at = ?
   WHERE id = ? AND dispatch_state = 'sending'`,
);
const refillSentSql = sql(
  `UPDATE refills SET dispatch_state = 'sent', provider_refill_id = ?, dispatch_error = NULL, next_sync_at = ?,
     updated_at = ?
   WHERE id = ? AND dispatch_state = 'sending'`,
);
const refillRefusedSql = sql(
  `UPDATE refills SET dispatch_state = 'refused', dispatch_error = ?, status = 'rejected', updated_at = ?
   WHERE id = ? AND dispatch_state = 'sending' AND status = 'pending'`,
);
const retryRefillSql = sql(
  `UPDATE refills SET dispatch_state = 'queued', dispatch_after = ?, dispatch_error = ?, updated_at = ?
   WHERE id = ? AND dispatch_state = 'sending'`,
);

/** The provider accepted the cancel: the order's status (via sync) says how it ends. */
export async function recordCancelSent(q: Queryable, id: number, now: number): Promise<boolean> {
  return (await q.run(cancelSentSql, [now, id])) === 1;
}

/** A subscription canceled here whose cancel the provider accepted: nothing more to wait for. */
export async function closeCancelRequest(q: Queryable, id: number, now: number): Promise<void> {
  await q.run(closeCancelSql, [now, id]);
}

export async function recordCancelRefused(
  q: Queryable,
  id: number,
  reason: string,
  now: number,
): Promise<boolean> {
  return (await q.run(cancelRefusedSql, [reason, now, id])) === 1;
}

export async function retryCancel(
  q: Queryable,
  id: number,
  after: number,
  reason: string,
  now: number,
): Promise<void> {
  await q.run(retryCancelSql, [after, reason, now, id]);
}

export async function recordRefillSent(
  q: Queryable,
  sent: { id: number; providerRefillId: string; nextSyncAt: number; now: number },
): Promise<boolean> {
  return (await q.run(refillSentSql, [sent.providerRefillId, sent.nextSyncAt, sent.now, sent.id])) === 1;
}

export async function recordRefillRefused(
  q: Queryable,
  id: number,
  reason: string,
  now: number,
): Promise<boolean> {
  return (await q.run(refillRefusedSql, [reason, now, id])) === 1;
}

export async function retryRefill(
  q: Queryable,
  id: number,
  after: number,
  reason: string,
  now: number,
): Promise<void> {
  await q.run(retryRefillSql, [after, reason, now, id]);
}

// ——— refill status sync ———

/** A forwarded refill due for a status check. */
export interface RefillSyncTarget {
  readonly id: number;
  readonly status: RefillStatus;
  readonly providerRefillId: string;
  readonly providerId: number;
}

interface RefillSyncRow {
  id: bigint;
  status: string;
  provider_refill_id: string;
  provider_id: bigint;
}

const REFILL_SYNC_PICK = `SELECT r.id FROM refills r WHERE r.next_sync_at <= ? ORDER BY r.next_sync_at LIMIT ?`;
const REFILL_SYNC_UPDATE = `UPDATE refills SET next_sync_at = ? WHERE id IN (%PICK%) RETURNING id`;
const claimRefillSyncSql = claimByDialect(REFILL_SYNC_UPDATE, REFILL_SYNC_PICK, 'FOR UPDATE SKIP LOCKED');
const REFILL_SYNC_COLUMNS = `r.id, r.status, r.provider_refill_id, o.provider_id
   FROM refills r JOIN orders o ON o.id = r.order_id`;
const selectRefillSyncSql = sqlByDialect({
  sqlite: `SELECT ${REFILL_SYNC_COLUMNS} WHERE r.id IN (SELECT value FROM json_each(?)) ORDER BY r.id`,
  postgres: `SELECT ${REFILL_SYNC_COLUMNS} WHERE r.id = ANY(?::bigint[]) ORDER BY r.id`,
});
const stopRefillSyncSql = sql('UPDATE refills SET next_sync_at = NULL WHERE id = ?');

/** Claims refills due for a status check, pushing their next check to `nextSyncAt`. */
export async function claimRefillSync(
  q: Queryable,
  claim: { now: number; nextSyncAt: number; limit: number },
): Promise<RefillSyncTarget[]> {
  const rows = await q.all<{ id: bigint }>(claimRefillSyncSql, [claim.nextSyncAt, claim.now, claim.limit]);
  if (rows.length === 0) return [];
  const list = idArray(
    q,
    rows.map((row) => Number(row.id)),
  );
  const claimed = await q.all<RefillSyncRow>(selectRefillSyncSql, [list]);
  return claimed.map((row) => ({
    id: Number(row.id),
    status: readRefillStatus(row.status),
    providerRefillId: row.provider_refill_id,
    providerId: Number(row.provider_id),
  }));
}

export async function stopRefillSync(q: Queryable, id: number): Promise<void> {
  await q.run(stopRefillSyncSql, [id]);
}
