import { type UserRole, type UserStatus, readUserRole, readUserStatus } from '../domain/accounts.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** An admin API token as its owner lists it (never the token: only its hash is stored). */
export interface AdminToken {
  readonly id: number;
  readonly name: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

/** Who a presented token belongs to, read on every admin API request. */
export interface AdminTokenHolder {
  readonly tokenId: number;
  readonly tokenName: string;
  readonly userId: number;
  readonly username: string;
  readonly role: UserRole;
  readonly status: UserStatus;
  readonly lastUsedAt: number | null;
}

interface AdminTokenRow {
  id: bigint;
  name: string;
  created_at: bigint;
  last_used_at: bigint | null;
}

interface AdminTokenHolderRow {
  token_id: bigint;
  token_name: string;
  user_id: bigint;
  username: string;
  role: string;
  status: string;
  last_used_at: bigint | null;
}

function toAdminToken(row: AdminTokenRow): AdminToken {
  return {
    id: Number(row.id),
    name: row.name,
    createdAt: Number(row.created_at),
    lastUsedAt: numberOrNull(row.last_used_at),
  };
}

function toAdminTokenHolder(row: AdminTokenHolderRow): AdminTokenHolder {
  return {
    tokenId: Number(row.token_id),
    tokenName: row.token_name,
    userId: Number(row.user_id),
    username: row.username,
    role: readUserRole(row.role),
    status: readUserStatus(row.status),
    lastUsedAt: numberOrNull(row.last_used_at),
  };
}

const insertSql = sql(
  `INSERT INTO admin_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)
   ON CONFLICT DO NOTHING RETURNING id`,
);
const listSql = sql(
  'SELECT id, name, created_at, last_used_at FROM admin_tokens WHERE user_id = ? ORDER BY id',
);
const deleteSql = sql('DELETE FROM admin_tokens WHERE user_id = ? AND name = ? RETURNING id');
const deleteKeysSql = sql('DELETE FROM admin_idempotency_keys WHERE token_id = ?');
const holderSql = sql(
  `SELECT t.id AS token_id, t.name AS token_name, u.id AS user_id, u.username, u.role, u.status, t.last_used_at
   FROM admin_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
);
const touchSql = sql(
  'UPDATE admin_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)',
);

/** Inserts a token; resolves to null when the user already holds one of that name. */
export async function insertAdminToken(
  q: Queryable,
  token: { userId: number; name: string; tokenHash: string; now: number },
): Promise<number | null> {
  const row = await q.get<{ id: bigint }>(insertSql, [token.userId, token.name, token.tokenHash, token.now]);
  return row === undefined ? null : Number(row.id);
}

export async function listAdminTokens(q: Queryable, userId: number): Promise<AdminToken[]> {
  return (await q.all<AdminTokenRow>(listSql, [userId])).map(toAdminToken);
}

/** Deletes a user's token by name, with its recorded idempotent answers; resolves to whether one was. */
export async function deleteAdminToken(q: Queryable, userId: number, name: string): Promise<boolean> {
  const row = await q.get<{ id: bigint }>(deleteSql, [userId, name]);
  if (row === undefined) return false;
  await q.run(deleteKeysSql, [row.id]);
  return true;
}

export async function findAdminTokenHolder(
  q: Queryable,
  tokenHash: string,
): Promise<AdminTokenHolder | undefined> {
  const row = await q.get<AdminTokenHolderRow>(holderSql, [tokenHash]);
  return row && toAdminTokenHolder(row);
}

/** Records a use, at most once per `granularity` ms (a busy token does not write on every request). */
export async function touchAdminToken(
  q: Queryable,
  use: { tokenId: number; now: number; granularity: number },
): Promise<void> {
  await q.run(touchSql, [use.now, use.tokenId, use.now - use.granularity]);
}
