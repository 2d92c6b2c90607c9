import { type WebhookEvent, readStoredEvents, storedEvents } from '../domain/webhooks.js';
import { isSet, numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** Customer webhook endpoints: one customer's own, and the cheap lookup a status change makes. */
export interface WebhookEndpoint {
  readonly id: number;
  readonly userId: number;
  readonly url: string;
  readonly events: readonly WebhookEvent[];
  readonly secret: string;
  readonly enabled: boolean;
  /** The first failure since the last success; null while it succeeds. */
  readonly failingSinceAt: number | null;
  /** Why the panel disabled it (null: enabled, or disabled by its owner). */
  readonly disabledReason: string | null;
  readonly createdAt: number;
}

interface WebhookEndpointRow {
  id: bigint;
  user_id: bigint;
  url: string;
  events: string;
  secret: string;
  enabled: bigint;
  failing_since: bigint | null;
  disabled_reason: string | null;
  created_at: bigint;
}

function toWebhookEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    url: row.url,
    events: readStoredEvents(row.events),
    secret: row.secret,
    enabled: isSet(row.enabled),
    failingSinceAt: numberOrNull(row.failing_since),
    disabledReason: row.disabled_reason,
    createdAt: Number(row.created_at),
  };
}

const COLUMNS = 'id, user_id, url, events, secret, enabled, failing_since, disabled_reason, created_at';

const insertSql = sql(
  `INSERT INTO webhook_endpoints (user_id, url, events, secret, enabled, created_at, updated_at)
   VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING id`,
);
const selectOwnSql = sql(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE user_id = ? ORDER BY id`);
const selectOneSql = sql(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = ?`);
const countOwnSql = sql('SELECT COUNT(*) AS n FROM webhook_endpoints WHERE user_id = ?');
// The lookup every order and refill change makes: the users_id index, nothing read for users without endpoints.
const selectEnabledOfUserSql = sql(
  `SELECT ${COLUMNS} FROM webhook_endpoints WHERE user_id = ? AND enabled = 1 ORDER BY id`,
);
const updateSql = sql(
  `UPDATE webhook_endpoints SET url = ?, events = ?, secret = ?, enabled = ?, failing_since = ?, disabled_reason = ?,
     updated_at = ? WHERE id = ?`,
);
const markFailingSql = sql(
  'UPDATE webhook_endpoints SET failing_since = ?, updated_at = ? WHERE id = ? AND failing_since IS NULL',
);
const markSucceedingSql = sql(
  'UPDATE webhook_endpoints SET failing_since = NULL, updated_at = ? WHERE id = ? AND failing_since IS NOT NULL',
);
const disableSql = sql(
  `UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ?
   WHERE id = ? AND enabled = 1 AND failing_since IS NOT NULL AND failing_since <= ?`,
);
const deleteAttemptsSql = sql('DELETE FROM webhook_attempts WHERE endpoint_id = ?');
const deleteDeliveriesSql = sql('DELETE FROM webhook_deliveries WHERE endpoint_id = ?');
const deleteEndpointSql = sql('DELETE FROM webhook_endpoints WHERE id = ?');

export async function insertWebhookEndpoint(
  q: Queryable,
  endpoint: { userId: number; url: string; events: readonly WebhookEvent[]; secret: string; now: number },
): Promise<number> {
  const row = await q.get<{ id: bigint }>(insertSql, [
    endpoint.userId,
    endpoint.url,
    storedEvents(endpoint.events),
    endpoint.secret,
    endpoint.now,
    endpoint.now,
  ]);
  return Number(row!.id);
}

export async function findUserWebhookEndpoints(q: Queryable, userId: number): Promise<WebhookEndpoint[]> {
  return (await q.all<WebhookEndpointRow>(selectOwnSql, [userId])).map(toWebhookEndpoint);
}

export async function countUserWebhookEndpoints(q: Queryable, userId: number): Promise<number> {
  const row = await q.get<{ n: bigint }>(countOwnSql, [userId]);
  return Number(row?.n ?? 0n);
}

export async function findWebhookEndpoint(q: Queryable, id: number): Promise<WebhookEndpoint | undefined> {
  const row = await q.get<WebhookEndpointRow>(selectOneSql, [id]);
  return row && toWebhookEndpoint(row);
}

/** A user's enabled endpoints that take `event`: none for most users, read through the user index. */
export async function findSubscribedEndpoints(
  q: Queryable,
  userId: number,
  event: WebhookEvent,
): Promise<WebhookEndpoint[]> {
  const rows = await q.all<WebhookEndpointRow>(selectEnabledOfUserSql, [userId]);
  return rows.map(toWebhookEndpoint).filter((endpoint) => endpoint.events.includes(event));
}

export async function saveWebhookEndpoint(
  q: Queryable,
  endpoint: WebhookEndpoint,
  now: number,
): Promise<void> {
  await q.run(updateSql, [
    endpoint.url,
    storedEvents(endpoint.events),
    endpoint.secret,
    endpoint.enabled ? 1 : 0,
    endpoint.failingSinceAt,
    endpoint.disabledReason,
    now,
    endpoint.id,
  ]);
}

/** After a failed attempt: the first failure since the last success starts the clock. */
export async function markEndpointFailing(q: Queryable, id: number, now: number): Promise<void> {
  await q.run(markFailingSql, [now, now, id]);
}

export async function markEndpointSucceeding(q: Queryable, id: number, now: number): Promise<void> {
  await q.run(markSucceedingSql, [now, id]);
}

/** Disables an endpoint failing since `failingBefore` or earlier; true when this call did. */
export async function disableFailingEndpoint(
  q: Queryable,
  change: { id: number; reason: string; failingBefore: number; now: number },
): Promise<boolean> {
  return (await q.run(disableSql, [change.reason, change.now, change.id, change.failingBefore])) === 1;
}

/** An endpoint with its outbox and log. */
export async function deleteWebhookEndpoint(q: Queryable, id: number): Promise<void> {
  await q.run(deleteAttemptsSql, [id]);
  await q.run(deleteDeliveriesSql, [id]);
  await q.run(deleteEndpointSql, [id]);
}

const selectThresholdSql = sql('SELECT low_balance_threshold FROM users WHERE id = ?');
const updateThresholdSql = sql('UPDATE users SET low_balance_threshold = ? WHERE id = ?');

/** The customer's `balance.low` threshold (null: none). */
export async function findLowBalanceThreshold(q: Queryable, userId: number): Promise<bigint | null> {
  const row = await q.get<{ low_balance_threshold: bigint | null }>(selectThresholdSql, [userId]);
  return row?.low_balance_threshold ?? null;
}

export async function saveLowBalanceThreshold(
  q: Queryable,
  userId: number,
  threshold: bigint | null,
): Promise<void> {
  await q.run(updateThresholdSql, [threshold, userId]);
}
