import { type OrderStatus, readOrderStatus } from '../domain/order-status.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, sql, sqlByDialect } from './database.js';

/** A drip-feed parent with a run due, with what creating its next run needs. */
export interface DueDripfeed {
  readonly id: number;
  readonly userId: number;
  readonly runs: number | null;
  readonly intervalMinutes: number | null;
  readonly runsCreated: number;
  readonly createdAt: number;
}

interface DueDripfeedRow {
  id: bigint;
  user_id: bigint;
  runs: bigint | null;
  interval_minutes: bigint | null;
  runs_created: bigint;
  created_at: bigint;
}

const DUE_SELECT = `SELECT id, user_id, runs, interval_minutes, runs_created, created_at FROM orders
   WHERE kind = 'dripfeed' AND next_run_at <= ? ORDER BY next_run_at LIMIT ?`;
// PostgreSQL: each parent is claimed by one worker at a time; another skips it instead of waiting.
// SQLite: writes are serialised (BEGIN IMMEDIATE), so the transaction alone is the claim.
const claimDueSql = sqlByDialect({ sqlite: DUE_SELECT, postgres: `${DUE_SELECT} FOR UPDATE SKIP LOCKED` });

// A run copies its parent (owner, service, link, per-run quantity, parameters, rate, provider) and
// costs 0: the parent was charged for every run. The parent holds the active link, so the run does
// not. A run of a provider-backed parent waits for the dispatcher like any forwarded order. The
// conflict target is the partial unique index of runs (migration 0027), hence its WHERE.
const insertRunSql = sql(
  `INSERT INTO orders (user_id, service_id, kind, parent_id, run_number, status, link, quantity, details, rate,
     charge, remains, provider_id, provider_service_id, dispatch_state, dispatch_after, created_at, updated_at)
   SELECT user_id, service_id, 'order', id, ?, 'pending', link, quantity, details, rate, 0, quantity,
     provider_id, provider_service_id, CASE WHEN provider_id IS NULL THEN 'manual' ELSE 'queued' END, ?, ?, ?
   FROM orders WHERE id = ? AND kind = 'dripfeed'
   ON CONFLICT (parent_id, run_number) WHERE parent_id IS NOT NULL DO NOTHING RETURNING id`,
);
const advanceRunsSql = sql(
  `UPDATE orders SET runs_created = ?, next_run_at = ?, updated_at = ?
   WHERE id = ? AND kind = 'dripfeed' AND runs_created = ?`,
);
const stopRunsSql = sql(
  `UPDATE orders SET next_run_at = NULL, updated_at = ? WHERE id = ? AND kind = 'dripfeed'`,
);
const selectRunsSql = sql(
  'SELECT id, run_number, status, remains FROM orders WHERE parent_id = ? ORDER BY run_number',
);

/** Drip-feed parents with a run due, oldest first, claimed for the caller's transaction. */
export async function claimDueDripfeeds(q: Queryable, now: number, limit: number): Promise<DueDripfeed[]> {
  const rows = await q.all<DueDripfeedRow>(claimDueSql, [now, limit]);
  return rows.map((row) => ({
    id: Number(row.id),
    userId: Number(row.user_id),
    runs: numberOrNull(row.runs),
    intervalMinutes: numberOrNull(row.interval_minutes),
    runsCreated: Number(row.runs_created),
    createdAt: Number(row.created_at),
  }));
}

/** Creates run `runNumber` of a parent; resolves to its id, or null when that run exists already. */
export async function insertDripfeedRun(
  q: Queryable,
  parentId: number,
  runNumber: number,
  now: number,
): Promise<number | null> {
  const row = await q.get<{ id: bigint }>(insertRunSql, [runNumber, now, now, now, parentId]);
  return row ? Number(row.id) : null;
}

/**
 * Moves `runs_created` from `from` to `to` and sets when the next run is due (null: none).
 * Compare-and-set: false when another worker advanced the parent first.
 */
export async function advanceDripfeedRuns(
  q: Queryable,
  advance: {
    readonly id: number;
    readonly from: number;
    readonly to: number;
    readonly nextRunAt: number | null;
    readonly now: number;
  },
): Promise<boolean> {
  const changed = await q.run(advanceRunsSql, [
    advance.to,
    advance.nextRunAt,
    advance.now,
    advance.id,
    advance.from,
  ]);
  return changed === 1;
}

/** No further runs will be created for this parent. */
export async function stopDripfeedRuns(q: Queryable, id: number, now: number): Promise<void> {
  await q.run(stopRunsSql, [now, id]);
}

/** A run of a drip-feed, as settling its parent counts it. */
export interface DripfeedRun {
  readonly id: number;
  readonly runNumber: number | null;
  readonly status: OrderStatus;
  readonly remains: number;
}

interface DripfeedRunRow {
  id: bigint;
  run_number: bigint | null;
  status: string;
  remains: bigint;
}

/** A parent's runs, in run order. */
export async function findDripfeedRuns(q: Queryable, parentId: number): Promise<DripfeedRun[]> {
  const rows = await q.all<DripfeedRunRow>(selectRunsSql, [parentId]);
  return rows.map((row) => ({
    id: Number(row.id),
    runNumber: numberOrNull(row.run_number),
    status: readOrderStatus(row.status),
    remains: Number(row.remains),
  }));
}
