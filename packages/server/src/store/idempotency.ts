import { type Queryable, sql } from './database.js';

/** The answer recorded for a user's `request_id`. */
export interface IdempotencyRecord {
  /** What the request asked for (`requestFingerprint`): the same key with other parameters is refused. */
  readonly requestHash: string;
  /** The answer as sent, replayed verbatim. */
  readonly response: string;
  readonly createdAt: number;
}

interface IdempotencyRow {
  request_hash: string;
  response: string;
  created_at: bigint;
}

const selectKey = sql(
  'SELECT request_hash, response, created_at FROM idempotency_keys WHERE user_id = ? AND request_key = ?',
);
const insertKey = sql(
  `INSERT INTO idempotency_keys (user_id, request_key, request_hash, response, created_at) VALUES (?, ?, ?, ?, ?)
   ON CONFLICT (user_id, request_key) DO UPDATE
     SET request_hash = excluded.request_hash, response = excluded.response, created_at = excluded.created_at
     WHERE idempotency_keys.created_at < ?
   RETURNING created_at`,
);
const deleteExpired = sql('DELETE FROM idempotency_keys WHERE created_at < ?');

export async function findIdempotencyKey(
  q: Queryable,
  userId: number,
  key: string,
): Promise<IdempotencyRecord | undefined> {
  const row = await q.get<IdempotencyRow>(selectKey, [userId, key]);
  return row && { requestHash: row.request_hash, response: row.response, createdAt: Number(row.created_at) };
}

/**
 * Records the answer to a keyed request. A key that expired before `expiredBefore` is taken over;
 * resolves to false when a live record already holds the key (a concurrent request won).
 */
export async function saveIdempotencyKey(
  q: Queryable,
  record: {
    userId: number;
    key: string;
    requestHash: string;
    response: string;
    now: number;
    expiredBefore: number;
  },
): Promise<boolean> {
  const row = await q.get(insertKey, [
    record.userId,
    record.key,
    record.requestHash,
    record.response,
    record.now,
    record.expiredBefore,
  ]);
  return row !== undefined;
}

export function deleteExpiredIdempotencyKeys(q: Queryable, expiredBefore: number): Promise<number> {
  return q.run(deleteExpired, [expiredBefore]);
}
