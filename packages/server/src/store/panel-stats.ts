import { type Queryable, sql } from './database.js';

/**
 * Aggregates read at each metrics scrape, each one statement over an index (dispatch_state,
 * next_sync_at). The order counts and the ledger by kind are kept (order-status-counts.ts,
 * ledger-kind-totals.ts).
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
