import { DAY_MS } from './admin-stats.js';
import { type Database, type Queryable, sql } from './database.js';
import { foldChanges } from './fold-changes.js';

/**
 * Orders, revenue and provider cost per UTC day, kept by triggers (migration 0026): a folded row
 * per day plus the changes appended since the last fold. Exact in every transaction's snapshot.
 */
export interface DailyTotals {
  /** Days since the epoch (UTC). */
  readonly day: number;
  /** Top-level orders placed that day (drip-feed runs and subscription posts are not counted). */
  readonly orders: number;
  /** What customers paid net of refunds, every order of the day (subscription posts are charged). */
  readonly revenue: bigint;
  /** What providers charged for them, in the panel's currency (converted when recorded; no rate: 0). */
  readonly cost: bigint;
}

// A day whose orders add up to nothing (say, drip-feed runs alone, which carry no charge) is left
// out, as the fold deletes it: to a reader it is a day without orders.
const selectTotals = sql(
  `SELECT day, CAST(SUM(orders) AS BIGINT) AS orders, CAST(SUM(revenue) AS BIGINT) AS revenue,
     CAST(SUM(cost) AS BIGINT) AS cost
   FROM (
     SELECT day, orders, revenue, cost FROM order_day_totals WHERE day >= ?
     UNION ALL SELECT day, orders, revenue, cost FROM order_day_changes WHERE day >= ?
   ) t GROUP BY day HAVING SUM(orders) <> 0 OR SUM(revenue) <> 0 OR SUM(cost) <> 0 ORDER BY day`,
);

/** The totals of each day from the one starting at `since` (epoch ms, the start of a UTC day) on, oldest first. */
export async function dailyTotals(q: Queryable, since: number): Promise<DailyTotals[]> {
  if (!Number.isSafeInteger(since) || since % DAY_MS !== 0) {
    throw new RangeError(`dailyTotals: since must be the start of a UTC day in epoch ms, not ${since}`);
  }
  const first = since / DAY_MS;
  const rows = await q.all<{ day: bigint; orders: bigint; revenue: bigint; cost: bigint }>(selectTotals, [
    first,
    first,
  ]);
  return rows.map((row) => ({
    day: Number(row.day),
    orders: Number(row.orders),
    revenue: row.revenue,
    cost: row.cost,
  }));
}

// The fold's statements, run by foldChanges (fold-changes.ts explains each).
const lockFold = sql('SELECT pg_advisory_xact_lock(7310925333)');
const foldPostgres = sql(
  `WITH moved AS (DELETE FROM order_day_changes RETURNING day, orders, revenue, cost)
   INSERT INTO order_day_totals (day, orders, revenue, cost)
   SELECT day, SUM(orders), SUM(revenue), SUM(cost) FROM moved GROUP BY day ORDER BY day
   ON CONFLICT (day) DO UPDATE SET orders = order_day_totals.orders + EXCLUDED.orders,
     revenue = order_day_totals.revenue + EXCLUDED.revenue, cost = order_day_totals.cost + EXCLUDED.cost`,
);
const foldSqlite = sql(
  `INSERT INTO order_day_totals (day, orders, revenue, cost)
   SELECT day, SUM(orders), SUM(revenue), SUM(cost) FROM order_day_changes WHERE true GROUP BY day
   ON CONFLICT (day) DO UPDATE SET orders = order_day_totals.orders + excluded.orders,
     revenue = order_day_totals.revenue + excluded.revenue, cost = order_day_totals.cost + excluded.cost`,
);
const deleteChanges = sql('DELETE FROM order_day_changes');
const deleteEmptyDays = sql('DELETE FROM order_day_totals WHERE orders = 0 AND revenue = 0 AND cost = 0');

/** Folds the appended changes into the day totals, so a read adds up a few rows. Resolves to the days it moved. */
export function foldOrderDayChanges(db: Database): Promise<number> {
  return foldChanges(db, {
    lock: lockFold,
    postgres: foldPostgres,
    sqlite: foldSqlite,
    deleteChanges,
    deleteEmpty: deleteEmptyDays,
  });
}
