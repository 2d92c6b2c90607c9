import { type Queryable, sql } from './database.js';

export const DAY_MS = 86_400_000;

export interface DailyTotalsRow {
  day: bigint;
  orders: bigint;
  revenue: bigint;
  cost: bigint;
}

// Integer division of epoch ms by a day's length gives the UTC day on both dialects. Revenue is what
// customers paid net of refunds (drip-feed runs carry no charge of their own, subscription posts do);
// cost is what providers reported charging for the orders they took.
const selectDailyTotals = sql(
  `SELECT created_at / ${DAY_MS} AS day,
     SUM(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END) AS orders,
     CAST(COALESCE(SUM(charge - refunded), 0) AS BIGINT) AS revenue,
     CAST(COALESCE(SUM(provider_charge), 0) AS BIGINT) AS cost
   FROM orders WHERE created_at >= ?
   GROUP BY created_at / ${DAY_MS} ORDER BY day`,
);

export function dailyTotals(q: Queryable, since: number): Promise<DailyTotalsRow[]> {
  return q.all<DailyTotalsRow>(selectDailyTotals, [since]);
}

const selectTopLevelByStatus = sql(
  'SELECT status, kind, COUNT(*) AS count FROM orders WHERE parent_id IS NULL GROUP BY status, kind',
);

export function topLevelOrdersByStatus(
  q: Queryable,
): Promise<{ status: string; kind: string; count: bigint }[]> {
  return q.all(selectTopLevelByStatus);
}

const selectReviewCount = sql("SELECT COUNT(*) AS count FROM orders WHERE dispatch_state = 'review'");

export async function countOrdersInReview(q: Queryable): Promise<number> {
  const row = await q.get<{ count: bigint }>(selectReviewCount);
  return Number(row?.count ?? 0n);
}
