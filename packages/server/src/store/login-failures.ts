import { type Queryable, sql } from './database.js';

const insertFailureSql = sql(
  'INSERT INTO login_failures (username, address, created_at) VALUES (?, ?, ?) RETURNING id',
);
const deleteOne = sql('DELETE FROM login_failures WHERE id = ?');
const countByUsername = sql(
  'SELECT COUNT(*) AS count FROM login_failures WHERE username = ? AND created_at > ?',
);
const countByAddress = sql(
  'SELECT COUNT(*) AS count FROM login_failures WHERE address = ? AND created_at > ?',
);
const deleteForUsername = sql('DELETE FROM login_failures WHERE username = ?');
const deleteOlder = sql('DELETE FROM login_failures WHERE created_at <= ?');

/**
 * Records an attempt as a failure before its password is checked (so parallel attempts count at
 * once); a successful login takes it back. Resolves to the row's id.
 */
export async function insertLoginFailure(
  q: Queryable,
  failure: { username: string; address: string; now: number },
): Promise<number> {
  const row = await q.get<{ id: bigint }>(insertFailureSql, [failure.username, failure.address, failure.now]);
  if (!row) throw new Error('login failure not recorded');
  return Number(row.id);
}

export async function deleteLoginFailure(q: Queryable, id: number): Promise<void> {
  await q.run(deleteOne, [id]);
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
