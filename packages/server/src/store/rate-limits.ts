import { type Queryable, sql, sqlByDialect } from './database.js';

/** What one node admitted for one user in the current window since it last reported. */
export interface RateLimitDelta {
  readonly userId: number;
  readonly admitted: number;
}

// PostgreSQL: every user in one statement. Rows are inserted in user order, so two nodes flushing at
// once lock the same rows in the same order and never deadlock.
const addCountsPostgres = sqlByDialect({
  sqlite: 'SELECT 1', // not used: SQLite adds row by row (addCountSqlite)
  postgres: `INSERT INTO rate_limit_counters (user_id, window_start, count)
    SELECT d.user_id, ?::bigint, d.admitted
    FROM unnest(string_to_array(?, ',')::bigint[], string_to_array(?, ',')::bigint[]) AS d(user_id, admitted)
    ORDER BY d.user_id
    ON CONFLICT (user_id, window_start) DO UPDATE SET count = rate_limit_counters.count + EXCLUDED.count
    RETURNING user_id, count`,
});
const addCountSqlite = sql(
  `INSERT INTO rate_limit_counters (user_id, window_start, count) VALUES (?, ?, ?)
   ON CONFLICT (user_id, window_start) DO UPDATE SET count = count + excluded.count
   RETURNING user_id, count`,
);
const selectCountsPostgres = sqlByDialect({
  sqlite: 'SELECT 1', // not used: SQLite reads row by row (selectCountSqlite)
  postgres: `SELECT user_id, count FROM rate_limit_counters
    WHERE window_start = ? AND user_id = ANY (string_to_array(?, ',')::bigint[])`,
});
const selectCountSqlite = sql(
  'SELECT user_id, count FROM rate_limit_counters WHERE window_start = ? AND user_id = ?',
);
const deleteBefore = sql('DELETE FROM rate_limit_counters WHERE window_start < ?');

/**
 * Adds each user's admitted requests to the window's shared count; resolves to the new totals,
 * which include what every other node added.
 */
export async function addRateLimitCounts(
  q: Queryable,
  windowStart: number,
  deltas: readonly RateLimitDelta[],
): Promise<Map<number, number>> {
  const totals = new Map<number, number>();
  if (deltas.length === 0) return totals;
  const sorted = [...deltas].sort((a, b) => a.userId - b.userId);
  if (q.dialect === 'postgres') {
    const rows = await q.all<{ user_id: bigint; count: bigint }>(addCountsPostgres, [
      windowStart,
      sorted.map((d) => d.userId).join(','),
      sorted.map((d) => d.admitted).join(','),
    ]);
    for (const row of rows) totals.set(Number(row.user_id), Number(row.count));
    return totals;
  }
  for (const delta of sorted) {
    const row = await q.get<{ user_id: bigint; count: bigint }>(addCountSqlite, [
      delta.userId,
      windowStart,
      delta.admitted,
    ]);
    if (row) totals.set(Number(row.user_id), Number(row.count));
  }
  return totals;
}

/** The window's shared counts of these users (users nobody counted yet are left out). */
export async function readRateLimitCounts(
  q: Queryable,
  windowStart: number,
  userIds: readonly number[],
): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  if (userIds.length === 0) return counts;
  const rows: { user_id: bigint; count: bigint }[] = [];
  if (q.dialect === 'postgres') {
    rows.push(
      ...(await q.all<{ user_id: bigint; count: bigint }>(selectCountsPostgres, [
        windowStart,
        userIds.join(','),
      ])),
    );
  } else {
    for (const id of userIds) {
      const row = await q.get<{ user_id: bigint; count: bigint }>(selectCountSqlite, [windowStart, id]);
      if (row) rows.push(row);
    }
  }
  for (const row of rows) counts.set(Number(row.user_id), Number(row.count));
  return counts;
}

/** Forgets the counts of windows that started before `windowStart`. */
export function deleteRateLimitCountsBefore(q: Queryable, windowStart: number): Promise<number> {
  return q.run(deleteBefore, [windowStart]);
}
