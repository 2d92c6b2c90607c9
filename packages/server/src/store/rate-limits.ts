import { type Queryable, sql, sqlByDialect } from './database.js';

/** What one node admitted for one key in the current window since it last reported. */
export interface RateLimitDelta {
  readonly apiKeyId: number;
  readonly admitted: number;
}

// PostgreSQL: every key in one statement. Rows are inserted in key order, so two nodes flushing at
// once lock the same rows in the same order and never deadlock.
const addCountsPostgres = sqlByDialect({
  sqlite: 'SELECT 1', // not used: SQLite adds row by row (addCountSqlite)
  postgres: `INSERT INTO rate_limit_counters (api_key_id, window_start, count)
    SELECT d.api_key_id, ?::bigint, d.admitted
    FROM unnest(string_to_array(?, ',')::bigint[], string_to_array(?, ',')::bigint[]) AS d(api_key_id, admitted)
    ORDER BY d.api_key_id
    ON CONFLICT (api_key_id, window_start) DO UPDATE SET count = rate_limit_counters.count + EXCLUDED.count
    RETURNING api_key_id, count`,
});
const addCountSqlite = sql(
  `INSERT INTO rate_limit_counters (api_key_id, window_start, count) VALUES (?, ?, ?)
   ON CONFLICT (api_key_id, window_start) DO UPDATE SET count = count + excluded.count
   RETURNING api_key_id, count`,
);
const selectCountsPostgres = sqlByDialect({
  sqlite: 'SELECT 1', // not used: SQLite reads row by row (selectCountSqlite)
  postgres: `SELECT api_key_id, count FROM rate_limit_counters
    WHERE window_start = ? AND api_key_id = ANY (string_to_array(?, ',')::bigint[])`,
});
const selectCountSqlite = sql(
  'SELECT api_key_id, count FROM rate_limit_counters WHERE window_start = ? AND api_key_id = ?',
);
const deleteBefore = sql('DELETE FROM rate_limit_counters WHERE window_start < ?');

/**
 * Adds each key's admitted requests to the window's shared count; resolves to the new totals,
 * which include what every other node added.
 */
export async function addRateLimitCounts(
  q: Queryable,
  windowStart: number,
  deltas: readonly RateLimitDelta[],
): Promise<Map<number, number>> {
  const totals = new Map<number, number>();
  if (deltas.length === 0) return totals;
  const sorted = [...deltas].sort((a, b) => a.apiKeyId - b.apiKeyId);
  if (q.dialect === 'postgres') {
    const rows = await q.all<{ api_key_id: bigint; count: bigint }>(addCountsPostgres, [
      windowStart,
      sorted.map((d) => d.apiKeyId).join(','),
      sorted.map((d) => d.admitted).join(','),
    ]);
    for (const row of rows) totals.set(Number(row.api_key_id), Number(row.count));
    return totals;
  }
  for (const delta of sorted) {
    const row = await q.get<{ api_key_id: bigint; count: bigint }>(addCountSqlite, [
      delta.apiKeyId,
      windowStart,
      delta.admitted,
    ]);
    if (row) totals.set(Number(row.api_key_id), Number(row.count));
  }
  return totals;
}

/** The window's shared counts of these keys (keys nobody counted yet are left out). */
export async function readRateLimitCounts(
  q: Queryable,
  windowStart: number,
  apiKeyIds: readonly number[],
): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  if (apiKeyIds.length === 0) return counts;
  const rows: { api_key_id: bigint; count: bigint }[] = [];
  if (q.dialect === 'postgres') {
    rows.push(
      ...(await q.all<{ api_key_id: bigint; count: bigint }>(selectCountsPostgres, [
        windowStart,
        apiKeyIds.join(','),
      ])),
    );
  } else {
    for (const id of apiKeyIds) {
      const row = await q.get<{ api_key_id: bigint; count: bigint }>(selectCountSqlite, [windowStart, id]);
      if (row) rows.push(row);
    }
  }
  for (const row of rows) counts.set(Number(row.api_key_id), Number(row.count));
  return counts;
}

/** Forgets the counts of windows that started before `windowStart`. */
export function deleteRateLimitCountsBefore(q: Queryable, windowStart: number): Promise<number> {
  return q.run(deleteBefore, [windowStart]);
}
