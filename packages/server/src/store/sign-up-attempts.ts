import { type Queryable, sql } from './database.js';

const insertSql = sql('INSERT INTO sign_up_attempts (address, created_at) VALUES (?, ?)');
const countSql = sql('SELECT COUNT(*) AS count FROM sign_up_attempts WHERE address = ? AND created_at > ?');
const deleteOlder = sql('DELETE FROM sign_up_attempts WHERE created_at <= ?');

export async function insertSignUpAttempt(
  q: Queryable,
  attempt: { address: string; now: number },
): Promise<void> {
  await q.run(insertSql, [attempt.address, attempt.now]);
}

export async function countSignUpAttempts(
  q: Queryable,
  key: { address: string; since: number },
): Promise<number> {
  const row = await q.get<{ count: bigint }>(countSql, [key.address, key.since]);
  return Number(row?.count ?? 0n);
}

export function deleteSignUpAttemptsBefore(q: Queryable, before: number): Promise<number> {
  return q.run(deleteOlder, [before]);
}
