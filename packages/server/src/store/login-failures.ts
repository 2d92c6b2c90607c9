import { type Queryable, sql } from './database.js';

const insertFailureSql = sql('INSERT INTO login_failures (username, address, created_at) VALUES (?, ?, ?)');
const countByUsername = sql(
  'SELECT COUNT(*) AS count FROM login_failures WHERE username = ? AND created_at > ?',
);
const countByAddress = sql(
  'SELECT COUNT(*) AS count FROM login_failures WHERE address = ? AND created_at > ?',
);
const deleteForUsername = sql('DELETE FROM login_failures WHERE username = ?');
const deleteOlder = sql('DELETE FROM login_failures WHERE created_at <= ?');

export async function insertLoginFailure(
  q: Queryable,
  failure: { username: string; address: string; now: number },
): Promise<void> {
  await q.run(insertFailureSql, [failure.username, failure.address, failure.now]);
}

/** Failures since `since` for this username and for this address. */
export async function countLoginFailures(
  q: Queryable,
  key: { username: string; address: string; since: number },
): Promise<{ username: number; address: number }> {
  const [byUsername, byAddress] = await Promise.all([
    q.get<{ count: bigint }>(countByUsername, [key.username, key.since]),
    q.get<{ count: bigint }>(countByAddress, [key.address, key.since]),
  ]);
  return { username: Number(byUsername?.count ?? 0n), address: Number(byAddress?.count ?? 0n) };
}

/** A successful login forgets that username's failures. */
export async function clearLoginFailures(q: Queryable, username: string): Promise<void> {
  await q.run(deleteForUsername, [username]);
}

export function deleteLoginFailuresBefore(q: Queryable, before: number): Promise<number> {
  return q.run(deleteOlder, [before]);
}
