import { type Queryable, sql } from './database.js';

export type UserRole = 'customer' | 'admin';
export type UserStatus = 'active' | 'suspended';

export interface UserRow {
  id: bigint;
  username: string;
  role: UserRole;
  status: UserStatus;
  balance: bigint;
  created_at: bigint;
}

const insertUserSql = sql(
  'INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id',
);
const selectByUsername = sql(
  'SELECT id, username, role, status, balance, created_at FROM users WHERE username = ?',
);
const selectById = sql('SELECT id, username, role, status, balance, created_at FROM users WHERE id = ?');
const countUsersSql = sql('SELECT COUNT(*) AS count FROM users');

/** Resolves to the new user's id, or null when the username is taken. */
export async function insertUser(
  q: Queryable,
  user: { username: string; passwordHash: string | null; role: UserRole; now: number },
): Promise<number | null> {
  const row = await q.get<{ id: bigint }>(insertUserSql, [
    user.username,
    user.passwordHash,
    user.role,
    user.now,
  ]);
  return row ? Number(row.id) : null;
}

export function findUserByUsername(q: Queryable, username: string): Promise<UserRow | undefined> {
  return q.get<UserRow>(selectByUsername, [username]);
}

export function findUserById(q: Queryable, id: number): Promise<UserRow | undefined> {
  return q.get<UserRow>(selectById, [id]);
}

export async function countUsers(q: Queryable): Promise<number> {
  const row = await q.get<{ count: bigint }>(countUsersSql);
  return Number(row?.count ?? 0n);
}

const selectBalanceTotal = sql('SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) AS total FROM users');

/** The sum of every user's balance, in money units. */
export async function sumBalances(db: Queryable): Promise<bigint> {
  const row = await db.get<{ total: bigint | number | string }>(selectBalanceTotal);
  return BigInt(row?.total ?? 0);
}

const selectRateLimit = sql('SELECT rate_limit_per_minute FROM users WHERE id = ?');
const updateRateLimit = sql('UPDATE users SET rate_limit_per_minute = ? WHERE id = ?');

/** The user's own API requests per minute: null for the panel's default, 0 for none. */
export async function findUserRateLimit(q: Queryable, userId: number): Promise<number | null | undefined> {
  const row = await q.get<{ rate_limit_per_minute: bigint | null }>(selectRateLimit, [userId]);
  if (!row) return undefined;
  return row.rate_limit_per_minute === null ? null : Number(row.rate_limit_per_minute);
}

export async function setUserRateLimit(
  q: Queryable,
  userId: number,
  perMinute: number | null,
): Promise<void> {
  await q.run(updateRateLimit, [perMinute, userId]);
}
