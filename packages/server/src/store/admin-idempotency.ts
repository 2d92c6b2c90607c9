import { numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** What a token's Idempotency-Key holds: the request it was first used with and, once done, the answer. */
export interface AdminIdempotencyRecord {
  readonly requestHash: string;
  /** null while the first request is still running. */
  readonly status: number | null;
  readonly answer: string | null;
  readonly createdAt: number;
}

interface AdminIdempotencyRow {
  request_hash: string;
  status: bigint | null;
  answer: string | null;
  created_at: bigint;
}

const claimSql = sql(
  `INSERT INTO admin_idempotency_keys (token_id, idempotency_key, request_hash, created_at) VALUES (?, ?, ?, ?)
   ON CONFLICT (token_id, idempotency_key) DO NOTHING RETURNING created_at`,
);
const selectSql = sql(
  `SELECT request_hash, status, answer, created_at FROM admin_idempotency_keys
   WHERE token_id = ? AND idempotency_key = ?`,
);
const finishSql = sql(
  `UPDATE admin_idempotency_keys SET status = ?, answer = ?
   WHERE token_id = ? AND idempotency_key = ? AND status IS NULL`,
);
const releaseSql = sql(
  'DELETE FROM admin_idempotency_keys WHERE token_id = ? AND idempotency_key = ? AND status IS NULL',
);
const purgeSql = sql('DELETE FROM admin_idempotency_keys WHERE created_at < ?');

/** Takes the key for a request: true when this request holds it now, false when it was held already. */
export async function claimAdminIdempotencyKey(
  q: Queryable,
  claim: { tokenId: number; key: string; requestHash: string; now: number },
): Promise<boolean> {
  const row = await q.get(claimSql, [claim.tokenId, claim.key, claim.requestHash, claim.now]);
  return row !== undefined;
}

export async function findAdminIdempotencyKey(
  q: Queryable,
  tokenId: number,
  key: string,
): Promise<AdminIdempotencyRecord | undefined> {
  const row = await q.get<AdminIdempotencyRow>(selectSql, [tokenId, key]);
  return (
    row && {
      requestHash: row.request_hash,
      status: numberOrNull(row.status),
      answer: row.answer,
      createdAt: Number(row.created_at),
    }
  );
}

/** Stores the answer of the request that holds the key. */
export async function finishAdminIdempotencyKey(
  q: Queryable,
  done: { tokenId: number; key: string; status: number; answer: string },
): Promise<void> {
  await q.run(finishSql, [done.status, done.answer, done.tokenId, done.key]);
}

/** Frees a key whose request failed without an answer worth replaying (a fault): it may be retried. */
export async function releaseAdminIdempotencyKey(q: Queryable, tokenId: number, key: string): Promise<void> {
  await q.run(releaseSql, [tokenId, key]);
}

export function purgeAdminIdempotencyKeys(q: Queryable, createdBefore: number): Promise<number> {
  return q.run(purgeSql, [createdBefore]);
}
