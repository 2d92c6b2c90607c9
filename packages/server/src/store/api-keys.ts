import { type Queryable, sql } from './database.js';
import type { UserRole, UserStatus } from './users.js';

export interface ApiKeyOwner {
  user_id: bigint;
  role: UserRole;
  status: UserStatus;
  balance: bigint;
}

const insertApiKeySql = sql(
  'INSERT INTO api_keys (user_id, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?)',
);
// The hot path of every API request: one indexed read answers who is calling and their balance.
const selectOwner = sql(
  `SELECT u.id AS user_id, u.role, u.status, u.balance
   FROM api_keys k JOIN users u ON u.id = k.user_id
   WHERE k.key_hash = ? AND k.revoked_at IS NULL`,
);

export async function insertApiKey(
  q: Queryable,
  key: { userId: number; keyHash: string; prefix: string; now: number },
): Promise<void> {
  await q.run(insertApiKeySql, [key.userId, key.keyHash, key.prefix, key.now]);
}

export function findApiKeyOwner(q: Queryable, keyHash: string): Promise<ApiKeyOwner | undefined> {
  return q.get<ApiKeyOwner>(selectOwner, [keyHash]);
}
