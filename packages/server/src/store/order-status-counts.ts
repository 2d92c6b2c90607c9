import { type KindAndStatus, readKindAndStatus } from '../domain/order-status.js';
import { type Database, type Queryable, sql, sqlByDialect } from './database.js';
import { foldChanges } from './fold-changes.js';

/**
 * Top-level orders by kind and status, kept by triggers (migration 0024): a folded count per kind
 * and status plus the changes appended since the last fold. Exact in every transaction's snapshot.
 */
export type StatusCount = KindAndStatus & { readonly count: number };

const selectCounts = sql(
  `SELECT kind, status, SUM(count) AS count FROM (
     SELECT kind, status, count FROM order_status_counts
     UNION ALL SELECT kind, status, change AS count FROM order_status_changes
   ) t GROUP BY kind, status HAVING SUM(count) <> 0`,
);

export async function readOrderStatusCounts(q: Queryable): Promise<StatusCount[]> {
  const rows = await q.all<{ kind: string; status: string; count: bigint }>(selectCounts);
  return rows.map((row) => ({ ...readKindAndStatus(row.kind, row.status), count: Number(row.count) }));
}

// Every order by stored status, for the metrics scrape: the kept top-level counts (folded or not)
// and the drip-feed runs and subscription posts, which the kept rows leave out, counted over their
// partial index (migration 0027). One statement, so one snapshot. SQLite is told the index: left to
// itself it walks (status, id) for the GROUP BY's order, a lookup of every order.
const allByStatus = (children: string) =>
  `SELECT status, SUM(count) AS count FROM (
     SELECT status, count FROM order_status_counts
     UNION ALL SELECT status, change AS count FROM order_status_changes
     UNION ALL SELECT status, COUNT(*) AS count FROM ${children} WHERE parent_id IS NOT NULL GROUP BY status
   ) t GROUP BY status HAVING SUM(count) <> 0`;
const selectAllByStatus = sqlByDialect({
  sqlite: allByStatus('orders INDEXED BY orders_child'),
  postgres: allByStatus('orders'),
});

/** Orders per stored status (order and subscription statuses alike; runs and posts included). */
export async function countOrdersByStoredStatus(q: Queryable): Promise<Map<string, number>> {
  const rows = await q.all<{ status: string; count: bigint }>(selectAllByStatus);
  return new Map(rows.map((row) => [row.status, Number(row.count)]));
}

/** How many top-level orders have one of these stored statuses (all: undefined) and this kind (any: undefined). */
export async function countTopLevelOrders(
  q: Queryable,
  filter: { readonly statuses?: readonly string[] | undefined; readonly kind?: string | undefined },
): Promise<number> {
  const rows = await q.all<{ kind: string; status: string; count: bigint }>(selectCounts);
  let total = 0;
  for (const row of rows) {
    if (filter.kind !== undefined && row.kind !== filter.kind) continue;
    if (filter.statuses !== undefined && filter.statuses.length > 0 && !filter.statuses.includes(row.status))
      continue;
    total += Number(row.count);
  }
  return total;
}

// The fold's statements, run by foldChanges (fold-changes.ts explains each).
const lockFold = sql('SELECT pg_advisory_xact_lock(7310925332)');
const foldPostgres = sql(
  `WITH moved AS (DELETE FROM order_status_changes RETURNING kind, status, change)
   INSERT INTO order_status_counts (kind, status, count)
   SELECT kind, status, SUM(change) FROM moved GROUP BY kind, status ORDER BY kind, status
   ON CONFLICT (kind, status) DO UPDATE SET count = order_status_counts.count + EXCLUDED.count`,
);
const foldSqlite = sql(
  `INSERT INTO order_status_counts (kind, status, count)
   SELECT kind, status, SUM(change) FROM order_status_changes WHERE true GROUP BY kind, status
   ON CONFLICT (kind, status) DO UPDATE SET count = order_status_counts.count + excluded.count`,
);
const deleteChanges = sql('DELETE FROM order_status_changes');
const deleteEmptyCounts = sql('DELETE FROM order_status_counts WHERE count = 0');

/** Folds the appended changes into the counts, so a read adds up a few rows. Resolves to the counts it moved. */
export function foldOrderStatusChanges(db: Database): Promise<number> {
  return foldChanges(db, {
    lock: lockFold,
    postgres: foldPostgres,
    sqlite: foldSqlite,
    deleteChanges,
    deleteEmpty: deleteEmptyCounts,
  });
}
