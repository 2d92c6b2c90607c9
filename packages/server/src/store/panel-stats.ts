import { type Queryable, sql } from './database.js';

/**
 * Aggregates read at each metrics scrape. Each is one statement over an index (dispatch_state,
 * next_sync_at) except the ledger totals, a scan of ledger_entries grouped by kind.
 */
const countQueued = sql(
  `SELECT
     (SELECT COUNT(*) FROM orders WHERE dispatch_state = 'queued') AS orders,
     (SELECT COUNT(*) FROM refills WHERE dispatch_state = 'queued') AS refills,
     (SELECT COUNT(*) FROM cancel_requests WHERE dispatch_state = 'queued') AS cancels,
     (SELECT COUNT(*) FROM orders WHERE dispatch_state = 'review') AS review`,
);
const oldestDueSync = sql(
  `SELECT
     (SELECT MIN(next_sync_at) FROM orders WHERE next_sync_at IS NOT NULL AND next_sync_at <= ?) AS orders,
     (SELECT MIN(next_sync_at) FROM refills WHERE next_sync_at IS NOT NULL AND next_sync_at <= ?) AS refills`,
);
const ledgerTotals = sql(
  'SELECT kind, CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS total FROM ledger_entries GROUP BY kind',
);

export interface WorkQueueCounts {
  /** Orders waiting to be sent to their provider. */
  readonly orders: number;
  readonly refills: number;
  readonly cancels: number;
  /** Orders whose fate at the provider waits for an admin. */
  readonly review: number;
}

export async function countQueuedWork(q: Queryable): Promise<WorkQueueCounts> {
  const row = await q.get<Record<'orders' | 'refills' | 'cancels' | 'review', bigint>>(countQueued);
  return {
    orders: Number(row?.orders ?? 0n),
    refills: Number(row?.refills ?? 0n),
    cancels: Number(row?.cancels ?? 0n),
    review: Number(row?.review ?? 0n),
  };
}

/** The earliest `next_sync_at` already due (orders and refills), or null when nothing is due. */
export async function findOldestDueSync(q: Queryable, now: number): Promise<number | null> {
  const row = await q.get<{ orders: bigint | null; refills: bigint | null }>(oldestDueSync, [now, now]);
  const due = [row?.orders, row?.refills].filter((value) => value != null).map(Number);
  return due.length === 0 ? null : Math.min(...due);
}

/** Sum of ledger amounts (money units, signed) per entry kind. */
export async function sumLedgerByKind(q: Queryable): Promise<Map<string, bigint>> {
  const rows = await q.all<{ kind: string; total: bigint | number | string }>(ledgerTotals);
  return new Map(rows.map((row) => [row.kind, BigInt(row.total)]));
}
