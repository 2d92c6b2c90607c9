import { type Queryable, sql } from './database.js';
import type { LedgerEntryRow } from './ledger.js';

const selectLedgerOfUser = sql(
  `SELECT id, user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at
   FROM ledger_entries WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`,
);
const countLedgerOfUser = sql('SELECT COUNT(*) AS count FROM ledger_entries WHERE user_id = ?');

export async function ledgerOfUser(
  q: Queryable,
  userId: number,
  page: { limit: number; offset: number },
): Promise<{ rows: LedgerEntryRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    q.all<LedgerEntryRow>(selectLedgerOfUser, [userId, page.limit, page.offset]),
    q.get<{ count: bigint }>(countLedgerOfUser, [userId]),
  ]);
  return { rows, total: Number(count?.count ?? 0n) };
}

export interface ApiKeyRow {
  id: bigint;
  key_prefix: string;
  created_at: bigint;
  revoked_at: bigint | null;
}

const selectKeysOfUser = sql(
  'SELECT id, key_prefix, created_at, revoked_at FROM api_keys WHERE user_id = ? ORDER BY id DESC',
);
const revokeKeySql = sql(
  'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL',
);

export function apiKeysOfUser(q: Queryable, userId: number): Promise<ApiKeyRow[]> {
  return q.all<ApiKeyRow>(selectKeysOfUser, [userId]);
}

/** Resolves to false when the key is not the user's or is revoked already. */
export async function revokeApiKey(
  q: Queryable,
  userId: number,
  keyId: number,
  now: number,
): Promise<boolean> {
  return (await q.run(revokeKeySql, [now, keyId, userId])) === 1;
}
