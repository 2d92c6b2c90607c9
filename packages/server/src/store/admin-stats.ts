import { type Queryable, sql } from './database.js';

export const DAY_MS = 86_400_000;

/** One UTC day of orders: how many were placed, what customers paid net of refunds, what providers cost. */
export interface DailyTotals {
  /** Days since the epoch (UTC). */
  readonly day: number;
  readonly orders: number;
  readonly revenue: bigint;
  readonly cost: bigint;
}

interface DailyTotalsRow {
  day: bigint;
  orders: bigint;
  revenue: bigint;
  cost: bigint;
}

// Integer division of epoch ms by a day's length gives the UTC day on both dialects. Revenue is what
// customers paid net of refunds (drip-feed runs carry no charge of their own, subscription posts do);
// cost is what providers reported charging for the orders they took, in the panel's currency
// (converted when recorded; an order whose provider currency had no rate then counts no cost).
const selectDailyTotals = sql(
  `SELECT created_at / ${DAY_MS} AS day,
     SUM(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END) AS orders,
     CAST(COALESCE(SUM(charge - refunded), 0) AS BIGINT) AS revenue,
     CAST(COALESCE(SUM(provider_cost), 0) AS BIGINT) AS cost
   FROM orders WHERE created_at >= ?
   GROUP BY created_at / ${DAY_MS} ORDER BY day`,
);

export async function dailyTotals(q: Queryable, since: number): Promise<DailyTotals[]> {
  const rows = await q.all<DailyTotalsRow>(selectDailyTotals, [since]);
  return rows.map((row) => ({
    day: Number(row.day),
    orders: Number(row.orders),
    revenue: row.revenue,
    cost: row.cost,
  }));
}

const selectReviewCount = sql("SELECT COUNT(*) AS count FROM orders WHERE dispatch_state = 'review'");

export async function countOrdersInReview(q: Queryable): Promise<number> {
  const row = await q.get<{ count: bigint }>(selectReviewCount);
  return Number(row?.count ?? 0n);
}
