import { type Queryable, sql } from './database.js';

const insertSql = sql(
  'INSERT INTO spent_challenges (signature, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
);
const deleteOlder = sql('DELETE FROM spent_challenges WHERE expires_at <= ?');

/** Marks a challenge used; false when it already was. Kept until it expires, when it is refused anyway. */
export async function spendChallenge(
  q: Queryable,
  challenge: { signature: string; expiresAt: number },
): Promise<boolean> {
  return (await q.run(insertSql, [challenge.signature, challenge.expiresAt])) === 1;
}

export function deleteExpiredChallenges(q: Queryable, now: number): Promise<number> {
  return q.run(deleteOlder, [now]);
}
