import { type Queryable, sql } from './database.js';

const leaveReviewSql = sql(
  `UPDATE orders SET dispatch_state = ?, dispatch_error = NULL, dispatch_after = ?, updated_at = ?
   WHERE id = ? AND dispatch_state = 'review'`,
);

/** Moves an order out of the review list (compare-and-set): false when it was not in it any more. */
export async function leaveReview(
  q: Queryable,
  change: { id: number; to: 'queued' | 'manual' | 'refused'; now: number },
): Promise<boolean> {
  const dispatchAfter = change.to === 'queued' ? change.now : null;
  return (await q.run(leaveReviewSql, [change.to, dispatchAfter, change.now, change.id])) === 1;
}
