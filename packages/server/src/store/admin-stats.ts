import { type Queryable, sql } from './database.js';

export const DAY_MS = 86_400_000;

const selectReviewCount = sql("SELECT COUNT(*) AS count FROM orders WHERE dispatch_state = 'review'");

export async function countOrdersInReview(q: Queryable): Promise<number> {
  const row = await q.get<{ count: bigint }>(selectReviewCount);
  return Number(row?.count ?? 0n);
}
