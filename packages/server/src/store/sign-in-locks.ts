import { type Queryable, sql } from './database.js';

const lockSql = sql(
  `INSERT INTO sign_in_locks (lock_key, locked_at) VALUES (?, ?)
   ON CONFLICT (lock_key) DO UPDATE SET locked_at = excluded.locked_at`,
);
const deleteOlder = sql('DELETE FROM sign_in_locks WHERE locked_at <= ?');

/**
 * Holds these keys (a username, an address) until the transaction ends: the upsert takes the row's
 * lock on PostgreSQL, and SQLite runs one writer at a time. So a count read after it and the row
 * written after that cannot interleave with another request's. Locked in sorted order: no deadlock.
 */
export async function lockSignInKeys(q: Queryable, keys: readonly string[], now: number): Promise<void> {
  for (const key of [...new Set(keys)].sort()) await q.run(lockSql, [key, now]);
}

export function deleteSignInLocksBefore(q: Queryable, before: number): Promise<number> {
  return q.run(deleteOlder, [before]);
}
