import { DAY_MS } from './admin-stats.js';
import { type Queryable, sql } from './database.js';

/** One UTC day's paid deposits through one method. */
export interface DepositDayTotal {
  /** Days since the epoch (UTC) of the payment. */
  readonly day: number;
  readonly methodId: number;
  readonly methodName: string;
  readonly count: number;
  /** The amounts credited, bonuses aside. */
  readonly sum: bigint;
}

interface DepositDayTotalRow {
  day: bigint;
  method_id: bigint;
  method_name: string;
  count: bigint;
  sum: bigint;
}

// Integer division of epoch ms by a day's length gives the UTC day on both dialects.
const selectDepositDayTotals = sql(
  `SELECT d.paid_at / ${DAY_MS} AS day, d.method_id, m.name AS method_name,
     COUNT(*) AS count, CAST(COALESCE(SUM(d.amount), 0) AS BIGINT) AS sum
   FROM deposits d JOIN payment_methods m ON m.id = d.method_id
   WHERE d.status = 'paid' AND d.paid_at >= ?
   GROUP BY d.paid_at / ${DAY_MS}, d.method_id, m.name
   ORDER BY day DESC, d.method_id`,
);

/** Paid deposits per method per UTC day, paid at or after `since`: newest day first. */
export async function depositDayTotals(q: Queryable, since: number): Promise<DepositDayTotal[]> {
  const rows = await q.all<DepositDayTotalRow>(selectDepositDayTotals, [since]);
  return rows.map((row) => ({
    day: Number(row.day),
    methodId: Number(row.method_id),
    methodName: row.method_name,
    count: Number(row.count),
    sum: row.sum,
  }));
}
