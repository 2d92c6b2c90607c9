import { type DeliveryState, readDeliveryState } from '../domain/webhooks.js';
import { numberOrNull } from './column-values.js';
import { claimByDialect, idArray, type Queryable, sql, sqlByDialect } from './database.js';

/**
 * The webhook outbox: deliveries written in the transaction of the change they tell about, claimed
 * by one worker at a time (`SKIP LOCKED` on PostgreSQL, the compare-and-set on both), and the log of
 * every attempt.
 */
export interface NewDelivery {
  readonly endpointId: number;
  readonly messageId: string;
  readonly eventType: string;
  readonly payload: string;
  /** The order an `order.updated` tells about: its deliveries to one endpoint go one after the other. */
  readonly orderId: number | null;
}

/** A delivery as the worker sends it: its endpoint's URL and secret read with it. */
export interface ClaimedDelivery {
  readonly id: number;
  readonly endpointId: number;
  readonly messageId: string;
  readonly eventType: string;
  readonly payload: string;
  /** This attempt's number: 1 for the first. */
  readonly attempt: number;
  readonly url: string;
  readonly secret: string;
}

export interface DeliveryAttempt {
  readonly deliveryId: number;
  readonly endpointId: number;
  readonly attempt: number;
  readonly attemptedAt: number;
  readonly statusCode: number | null;
  readonly durationMs: number;
  readonly responseExcerpt: string;
  readonly error: string | null;
}

export interface DeliveryLogEntry extends DeliveryAttempt {
  readonly messageId: string;
  readonly eventType: string;
  readonly state: DeliveryState;
}

const insertDeliverySql = sql(
  `INSERT INTO webhook_deliveries (endpoint_id, message_id, event_type, payload, order_id, state, attempts,
     next_attempt_at, created_at)
   VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
);
const nextSequenceSql = sql(
  `INSERT INTO webhook_sequences (order_id, last_sequence) VALUES (?, 1)
   ON CONFLICT (order_id) DO UPDATE SET last_sequence = webhook_sequences.last_sequence + 1
   RETURNING last_sequence`,
);

// Due: pending whose time has come, or delivering whose lease ran out (its worker died mid-call).
// The outer update repeats the condition: the compare-and-set that makes a claim exclusive on SQLite.
const DUE = `((d.state = 'pending' AND d.next_attempt_at <= ?) OR (d.state = 'delivering' AND d.lease_until < ?))`;
// An order's updates go to an endpoint in the order they happened: one waits while an earlier one
// for the same order and endpoint is still pending or in flight (on any worker).
const NEXT_OF_ITS_ORDER = `(d.order_id IS NULL OR NOT EXISTS (SELECT 1 FROM webhook_deliveries p
   WHERE p.endpoint_id = d.endpoint_id AND p.order_id = d.order_id AND p.id < d.id
     AND p.state IN ('pending', 'delivering')))`;
const CLAIM_PICK = `SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
   WHERE ${DUE} AND e.enabled = 1 AND ${NEXT_OF_ITS_ORDER} ORDER BY d.next_attempt_at, d.id LIMIT ?`;
const CLAIM_UPDATE = `UPDATE webhook_deliveries SET state = 'delivering', attempts = attempts + 1, lease_until = ?
   WHERE id IN (%PICK%) AND ${DUE.replaceAll('d.', '')} RETURNING id`;
const claimSql = claimByDialect(CLAIM_UPDATE, CLAIM_PICK, 'FOR UPDATE OF d SKIP LOCKED');
const CLAIMED_COLUMNS = `d.id, d.endpoint_id, d.message_id, d.event_type, d.payload, d.attempts, e.url, e.secret`;
const selectClaimedSql = sqlByDialect({
  sqlite: `SELECT ${CLAIMED_COLUMNS} FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
           WHERE d.id IN (SELECT value FROM json_each(?)) ORDER BY d.next_attempt_at, d.id`,
  postgres: `SELECT ${CLAIMED_COLUMNS} FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
             WHERE d.id = ANY(?::bigint[]) ORDER BY d.next_attempt_at, d.id`,
});
const finishSql = sql(
  `UPDATE webhook_deliveries SET state = ?, lease_until = NULL, finished_at = ?
   WHERE id = ? AND state = 'delivering' AND attempts = ?`,
);
const retryLaterSql = sql(
  `UPDATE webhook_deliveries SET state = 'pending', lease_until = NULL, next_attempt_at = ?
   WHERE id = ? AND state = 'delivering' AND attempts = ?`,
);
// Nothing to record when the customer deleted the endpoint (and its deliveries) during the call.
const insertAttemptSql = sql(
  `INSERT INTO webhook_attempts (delivery_id, endpoint_id, attempt, attempted_at, status_code, duration_ms,
     response_excerpt, error)
   SELECT id, endpoint_id, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT),
     CAST(? AS TEXT), CAST(? AS TEXT)
   FROM webhook_deliveries WHERE id = ?`,
);
const selectLogSql = sql(
  `SELECT a.delivery_id, a.endpoint_id, a.attempt, a.attempted_at, a.status_code, a.duration_ms, a.response_excerpt,
     a.error, d.message_id, d.event_type, d.state
   FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
   WHERE a.endpoint_id = ? ORDER BY a.id DESC LIMIT ?`,
);
const purgeAttemptsSql = sql('DELETE FROM webhook_attempts WHERE attempted_at < ?');
const purgeDeliveriesSql = sql(
  `DELETE FROM webhook_deliveries WHERE finished_at < ?
     AND NOT EXISTS (SELECT 1 FROM webhook_attempts a WHERE a.delivery_id = webhook_deliveries.id)`,
);

export async function insertDeliveries(
  q: Queryable,
  deliveries: readonly NewDelivery[],
  now: number,
): Promise<void> {
  for (const delivery of deliveries) {
    await q.run(insertDeliverySql, [
      delivery.endpointId,
      delivery.messageId,
      delivery.eventType,
      delivery.payload,
      delivery.orderId,
      now,
      now,
    ]);
  }
}

/** The next number of an order's webhook events: 1, 2, 3… (the order's row lock orders them). */
export async function nextOrderSequence(q: Queryable, orderId: number): Promise<number> {
  const row = await q.get<{ last_sequence: bigint }>(nextSequenceSql, [orderId]);
  return Number(row!.last_sequence);
}

interface ClaimedRow {
  id: bigint;
  endpoint_id: bigint;
  message_id: string;
  event_type: string;
  payload: string;
  attempts: bigint;
  url: string;
  secret: string;
}

/** Claims up to `limit` due deliveries of enabled endpoints: each counts one more attempt. */
export async function claimDueDeliveries(
  q: Queryable,
  claim: { now: number; leaseUntil: number; limit: number },
): Promise<ClaimedDelivery[]> {
  const { now, leaseUntil, limit } = claim;
  const ids = await q.all<{ id: bigint }>(claimSql, [leaseUntil, now, now, limit, now, now]);
  if (ids.length === 0) return [];
  const rows = await q.all<ClaimedRow>(selectClaimedSql, [
    idArray(
      q,
      ids.map((row) => Number(row.id)),
    ),
  ]);
  return rows.map((row) => ({
    id: Number(row.id),
    endpointId: Number(row.endpoint_id),
    messageId: row.message_id,
    eventType: row.event_type,
    payload: row.payload,
    attempt: Number(row.attempts),
    url: row.url,
    secret: row.secret,
  }));
}

/** Ends the claimed attempt `attempt`: delivered or failed for good; false when the claim was lost. */
export async function finishDelivery(
  q: Queryable,
  change: { id: number; attempt: number; state: 'delivered' | 'failed'; now: number },
): Promise<boolean> {
  return (await q.run(finishSql, [change.state, change.now, change.id, change.attempt])) === 1;
}

export async function retryDeliveryLater(
  q: Queryable,
  change: { id: number; attempt: number; at: number },
): Promise<boolean> {
  return (await q.run(retryLaterSql, [change.at, change.id, change.attempt])) === 1;
}

/** One log line per attempt; (delivery, attempt) is unique, so an attempt is never recorded twice. */
export async function recordAttempt(q: Queryable, attempt: DeliveryAttempt): Promise<void> {
  await q.run(insertAttemptSql, [
    attempt.attempt,
    attempt.attemptedAt,
    attempt.statusCode,
    attempt.durationMs,
    attempt.responseExcerpt,
    attempt.error,
    attempt.deliveryId,
  ]);
}

interface LogRow {
  delivery_id: bigint;
  endpoint_id: bigint;
  attempt: bigint;
  attempted_at: bigint;
  status_code: bigint | null;
  duration_ms: bigint;
  response_excerpt: string;
  error: string | null;
  message_id: string;
  event_type: string;
  state: string;
}

/** An endpoint's latest attempts, newest first. */
export async function findDeliveryLog(
  q: Queryable,
  endpointId: number,
  limit: number,
): Promise<DeliveryLogEntry[]> {
  const rows = await q.all<LogRow>(selectLogSql, [endpointId, limit]);
  return rows.map((row) => ({
    deliveryId: Number(row.delivery_id),
    endpointId: Number(row.endpoint_id),
    attempt: Number(row.attempt),
    attemptedAt: Number(row.attempted_at),
    statusCode: numberOrNull(row.status_code),
    durationMs: Number(row.duration_ms),
    responseExcerpt: row.response_excerpt,
    error: row.error,
    messageId: row.message_id,
    eventType: row.event_type,
    state: readDeliveryState(row.state),
  }));
}

/** Drops log lines older than `before`, then finished deliveries left without any. */
export async function purgeDeliveryLog(q: Queryable, before: number): Promise<number> {
  const attempts = await q.run(purgeAttemptsSql, [before]);
  const deliveries = await q.run(purgeDeliveriesSql, [before]);
  return attempts + deliveries;
}
