import { type Queryable, sql } from './database.js';

const insertSql = sql(
  'INSERT INTO pending_logins (token_hash, user_id, attempts, expires_at) VALUES (?, ?, 0, ?)',
);
const attemptSql = sql(
  `UPDATE pending_logins SET attempts = attempts + 1
   WHERE token_hash = ? AND expires_at > ? AND attempts < ? RETURNING user_id`,
);
const deleteSql = sql('DELETE FROM pending_logins WHERE token_hash = ?');
const deleteExpiredSql = sql('DELETE FROM pending_logins WHERE expires_at <= ?');

export async function insertPendingLogin(
  q: Queryable,
  login: { tokenHash: string; userId: number; expiresAt: number },
): Promise<void> {
  await q.run(insertSql, [login.tokenHash, login.userId, login.expiresAt]);
}

/**
 * Counts one code attempt against a live pending login and answers its user; undefined when the
 * login is unknown, expired or out of attempts.
 */
export async function attemptPendingLogin(
  q: Queryable,
  attempt: { tokenHash: string; now: number; maxAttempts: number },
): Promise<number | undefined> {
  const row = await q.get<{ user_id: bigint }>(attemptSql, [
    attempt.tokenHash,
    attempt.now,
    attempt.maxAttempts,
  ]);
  return row === undefined ? undefined : Number(row.user_id);
}

export async function deletePendingLogin(q: Queryable, tokenHash: string): Promise<void> {
  await q.run(deleteSql, [tokenHash]);
}

export function deleteExpiredPendingLogins(q: Queryable, now: number): Promise<number> {
  return q.run(deleteExpiredSql, [now]);
}
