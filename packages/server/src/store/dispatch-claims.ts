import {
  DISPATCHABLE_STATUSES,
  DISPATCH_MOVES,
  type DispatchMove,
  type DispatchMoveFrom,
} from '../domain/dispatch.js';
import { type OrderKind, readOrderKind } from '../domain/order-status.js';
import type { ServiceTypeName } from '../domain/service-types.js';
import { numberOrNull } from './column-values.js';
import { claimByDialect, idArray, type Queryable, sql, sqlByDialect, sqlList } from './database.js';

/**
 * Orders on their way to providers: claims and the moves of the dispatch state machine
 * (`domain/dispatch.ts`). Every move is a compare-and-set on the states it may leave, written from
 * the machine's table, so two workers, a worker and an admin, or a worker and its own restart
 * never both act on one order.
 */
/**
 * SQL for the compare-and-set of a dispatch move: `<column> = 'a'` or `<column> IN ('a', 'b')`, the
 * states it may leave (a single one as an equality, which every planner reads as such).
 */
export function leaves(column: string, move: DispatchMove): string {
  const from: readonly string[] = DISPATCH_MOVES[move].from;
  return from.length === 1 ? `${column} = ${sqlList(from)}` : `${column} IN (${sqlList(from)})`;
}

/** SQL for the state a dispatch move enters: `'sent'`. */
export function enters(move: DispatchMove): string {
  return sqlList([DISPATCH_MOVES[move].to]);
}
const DISPATCHABLE = sqlList(DISPATCHABLE_STATUSES);

// The subquery picks due queued orders of providers that are not paused, oldest first (in the
// order of the orders_dispatch index: no sort, however long the backlog); PostgreSQL skips rows
// another worker is claiming. The outer condition repeats the state: the compare-and-set.
const CLAIM_PICK = `SELECT o.id FROM orders o JOIN providers p ON p.id = o.provider_id
   WHERE ${leaves('o.dispatch_state', 'claim')} AND o.dispatch_after <= ? AND o.status IN (${DISPATCHABLE})
     AND (p.paused_until IS NULL OR p.paused_until <= ?)
   ORDER BY o.dispatch_after, o.id LIMIT ?`;
const CLAIM_UPDATE = `UPDATE orders SET dispatch_state = ${enters('claim')}, dispatch_attempts = dispatch_attempts + 1,
     dispatch_lease_until = ?, updated_at = ?
   WHERE id IN (%PICK%) AND ${leaves('dispatch_state', 'claim')} AND status IN (${DISPATCHABLE}) RETURNING id`;
const claimQueuedSql = claimByDialect(CLAIM_UPDATE, CLAIM_PICK, 'FOR UPDATE OF o SKIP LOCKED');
// Due resends: at a provider that replays a repeated request_id, orders still `submitting` whose
// lease ran out (their worker died, or an unknown outcome set the lease to the time of the resend).
// They never go back to `queued`: the provider may have them, so a customer's cancel must be
// forwarded, not refunded at once. Few rows: `submitting` ones only.
const RESEND_PICK = `SELECT o.id FROM orders o JOIN providers p ON p.id = o.provider_id
   WHERE ${leaves('o.dispatch_state', 'resend')} AND o.dispatch_lease_until < ? AND p.honours_request_id = 1
     AND o.status IN (${DISPATCHABLE}) AND (p.paused_until IS NULL OR p.paused_until <= ?)
   ORDER BY o.dispatch_lease_until, o.id LIMIT ?`;
const RESEND_UPDATE = `UPDATE orders SET dispatch_attempts = dispatch_attempts + 1, dispatch_lease_until = ?, updated_at = ?
   WHERE id IN (%PICK%) AND ${leaves('dispatch_state', 'resend')} AND dispatch_lease_until < ?
     AND status IN (${DISPATCHABLE}) RETURNING id`;
const claimResendsSql = claimByDialect(RESEND_UPDATE, RESEND_PICK, 'FOR UPDATE OF o SKIP LOCKED');
const CLAIMED_COLUMNS = `o.id, o.user_id, o.kind, o.parent_id, o.link, o.quantity, o.details, s.type, o.provider_id,
  o.provider_service_id, o.dispatch_attempts`;
const selectClaimedSql = sqlByDialect({
  sqlite: `SELECT ${CLAIMED_COLUMNS} FROM orders o JOIN services s ON s.id = o.service_id
           WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id`,
  postgres: `SELECT ${CLAIMED_COLUMNS} FROM orders o JOIN services s ON s.id = o.service_id
             WHERE o.id = ANY(?::bigint[]) ORDER BY o.id`,
});

const recordSentSql = sql(
  `UPDATE orders SET dispatch_state = ${enters('recordSent')}, provider_order_id = ?, dispatch_error = NULL,
     dispatch_lease_until = NULL, next_sync_at = ?, updated_at = ?
   WHERE id = ? AND provider_order_id IS NULL AND ${leaves('dispatch_state', 'recordSent')}`,
);
// Many orders' provider ids at once (one statement), each under recordSentSql's conditions: the
// rows come as one JSON array parameter of {id, providerOrderId, nextSyncAt}. SQLite: the unary `+`
// keeps its planner off the state index, so each row is found by its primary key.
const recordSentManySql = sqlByDialect({
  sqlite: `UPDATE orders SET dispatch_state = ${enters('recordSent')}, provider_order_id = v.provider_order_id,
     dispatch_error = NULL, dispatch_lease_until = NULL, next_sync_at = v.next_sync_at, updated_at = ?
   FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.providerOrderId') AS provider_order_id,
       json_extract(value, '$.nextSyncAt') AS next_sync_at FROM json_each(?)) AS v
   WHERE orders.id = v.id AND orders.provider_order_id IS NULL AND ${leaves('+orders.dispatch_state', 'recordSent')}
   RETURNING orders.id`,
  postgres: `UPDATE orders o SET dispatch_state = ${enters('recordSent')}, provider_order_id = v."providerOrderId",
     dispatch_error = NULL, dispatch_lease_until = NULL, next_sync_at = v."nextSyncAt", updated_at = ?
   FROM json_to_recordset(?::json) AS v(id bigint, "providerOrderId" text, "nextSyncAt" bigint)
   WHERE o.id = v.id AND o.provider_order_id IS NULL AND ${leaves('o.dispatch_state', 'recordSent')}
   RETURNING o.id`,
});
const requeueSql = sql(
  `UPDATE orders SET dispatch_state = ${enters('requeue')}, dispatch_after = ?, dispatch_error = ?,
     dispatch_lease_until = NULL, updated_at = ?
   WHERE id = ? AND dispatch_state = ?`,
);
const deferResendSql = sql(
  `UPDATE orders SET dispatch_after = ?, dispatch_lease_until = ?, dispatch_error = ?, updated_at = ?
   WHERE id = ? AND ${leaves('dispatch_state', 'resend')}`,
);
const holdForReviewSql = sql(
  `UPDATE orders SET dispatch_state = ${enters('holdForReview')}, dispatch_error = ?, dispatch_lease_until = NULL,
     updated_at = ?
   WHERE id = ? AND dispatch_state = ?`,
);
const markRefusedSql = sql(
  `UPDATE orders SET dispatch_state = ${enters('refuse')}, dispatch_error = ?, dispatch_lease_until = NULL,
     updated_at = ?
   WHERE id = ? AND dispatch_state = ?`,
);
const EXPIRED_PICK = `SELECT o.id FROM orders o JOIN providers p ON p.id = o.provider_id
   WHERE o.dispatch_state = 'submitting' AND o.dispatch_lease_until < ? AND p.honours_request_id = 0
   ORDER BY o.id LIMIT ?`;
const selectExpiredLeasesSql = sqlByDialect({
  sqlite: EXPIRED_PICK,
  postgres: `${EXPIRED_PICK} FOR UPDATE OF o SKIP LOCKED`,
});
const resetAttemptsSql = sql('UPDATE orders SET dispatch_attempts = 0 WHERE id = ?');

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

/** A claimed order with everything the call to its provider needs. */
export interface ClaimedOrder {
  readonly id: number;
  readonly userId: number;
  readonly kind: OrderKind;
  readonly parentId: number | null;
  readonly link: string | null;
  readonly quantity: number;
  /** The type's parameters as stored: `providerOrderParams` reads them. */
  readonly details: string;
  readonly type: ServiceTypeName;
  readonly providerId: number;
  readonly providerServiceId: string | null;
  /** Attempts so far, this claim included. */
  readonly attempts: number;
}

interface ClaimedOrderRow {
  id: bigint;
  user_id: bigint;
  kind: string;
  parent_id: bigint | null;
  link: string | null;
  quantity: bigint;
  details: string;
  type: ServiceTypeName;
  provider_id: bigint;
  provider_service_id: string | null;
  dispatch_attempts: bigint;
}

function toClaimedOrder(row: ClaimedOrderRow): ClaimedOrder {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    kind: readOrderKind(row.kind),
    parentId: numberOrNull(row.parent_id),
    link: row.link,
    quantity: Number(row.quantity),
    details: row.details,
    type: row.type,
    providerId: Number(row.provider_id),
    providerServiceId: row.provider_service_id,
    attempts: Number(row.dispatch_attempts),
  };
}

export async function findClaimedOrders(q: Queryable, ids: readonly number[]): Promise<ClaimedOrder[]> {
  if (ids.length === 0) return [];
  return (await q.all<ClaimedOrderRow>(selectClaimedSql, [idArray(q, ids)])).map(toClaimedOrder);
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

/**
 * recordSent for many orders in one statement (a batch's accepted orders). Resolves to the ids
 * stored; the others were settled meanwhile. A provider order id we already follow fails the
 * whole statement (the unique index), as it fails recordSent.
 */
export async function recordSentMany(
  q: Queryable,
  sent: readonly { id: number; providerOrderId: string; nextSyncAt: number }[],
  now: number,
): Promise<Set<number>> {
  if (sent.length === 0) return new Set();
  const rows = await q.all<{ id: bigint }>(recordSentManySql, [now, JSON.stringify(sent)]);
  return new Set(rows.map((row) => Number(row.id)));
}

export async function requeueOrder(
  q: Queryable,
  requeue: { id: number; from: DispatchMoveFrom<'requeue'>; after: number; error: string; now: number },
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
  hold: { id: number; from: DispatchMoveFrom<'holdForReview'>; reason: string; now: number },
): Promise<boolean> {
  return (await q.run(holdForReviewSql, [hold.reason, hold.now, hold.id, hold.from])) === 1;
}

export async function markRefused(
  q: Queryable,
  refused: { id: number; from: DispatchMoveFrom<'refuse'>; reason: string; now: number },
): Promise<boolean> {
  return (await q.run(markRefusedSql, [refused.reason, refused.now, refused.id, refused.from])) === 1;
}

/**
 * Orders whose worker's lease ran out while `submitting` (it died or hung mid-call) at providers
 * that do not replay request_id; at the others, the claim resends them. Resolves to their ids.
 */
export async function findExpiredLeases(q: Queryable, now: number, limit: number): Promise<number[]> {
  const rows = await q.all<{ id: bigint }>(selectExpiredLeasesSql, [now, limit]);
  return rows.map((row) => Number(row.id));
}

/** A fresh start after the owner's decision: the retry budget counts from zero again. */
export async function resetDispatchAttempts(q: Queryable, id: number): Promise<void> {
  await q.run(resetAttemptsSql, [id]);
}
