import { type UserRole, type UserStatus, readUserRole, readUserStatus } from '../domain/accounts.js';
import { usernameKey } from '../domain/usernames.js';
import { notifyKeyOwnersChanged } from './api-keys.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, type SqlValue, dynamicSql, idArray, sql, sqlByDialect } from './database.js';

export interface User {
  readonly id: number;
  readonly username: string;
  readonly role: UserRole;
  readonly status: UserStatus;
  readonly balance: bigint;
  readonly createdAt: number;
}

interface UserRow {
  id: bigint;
  username: string;
  role: string;
  status: string;
  balance: bigint;
  created_at: bigint;
}

function toUser(row: UserRow): User {
  return {
    id: Number(row.id),
    username: row.username,
    role: readUserRole(row.role),
    status: readUserStatus(row.status),
    balance: row.balance,
    createdAt: Number(row.created_at),
  };
}

export interface NewUser {
  readonly username: string;
  /** null: the user cannot log in to the web panel (API key only). */
  readonly passwordHash: string | null;
  readonly role: UserRole;
  /** Lower-cased (domain/email-address.ts); null: none yet (users created before emails). */
  readonly email?: string | null;
  readonly now: number;
}

const USER_COLUMNS = 'id, username, role, status, balance, created_at';
const insertUserSql = sql(
  'INSERT INTO users (username, username_key, password_hash, role, email, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id',
);
const selectByUsername = sql(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`);
const selectById = sql(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`);
const countUsersSql = sql('SELECT COUNT(*) AS count FROM users');

/** Resolves to the new user's id, or null when the username (or the email address) is taken. */
export async function insertUser(q: Queryable, user: NewUser): Promise<number | null> {
  const row = await q.get<{ id: bigint }>(insertUserSql, [
    user.username,
    usernameKey(user.username),
    user.passwordHash,
    user.role,
    user.email ?? null,
    user.now,
  ]);
  return row ? Number(row.id) : null;
}

export async function findUserByUsername(q: Queryable, username: string): Promise<User | undefined> {
  const row = await q.get<UserRow>(selectByUsername, [username]);
  return row && toUser(row);
}

export async function findUserById(q: Queryable, id: number): Promise<User | undefined> {
  const row = await q.get<UserRow>(selectById, [id]);
  return row && toUser(row);
}

export async function countUsers(q: Queryable): Promise<number> {
  const row = await q.get<{ count: bigint }>(countUsersSql);
  return Number(row?.count ?? 0n);
}

const countCustomersSql = sql("SELECT COUNT(*) AS count FROM users WHERE role = 'customer'");

/** Customers only: staff (the first admin created at start-up too) are not the panel's customers. */
export async function countCustomers(q: Queryable): Promise<number> {
  const row = await q.get<{ count: bigint }>(countCustomersSql);
  return Number(row?.count ?? 0n);
}

const selectBalanceTotal = sql('SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) AS total FROM users');

/** The sum of every user's balance, in money units. */
export async function sumBalances(db: Queryable): Promise<bigint> {
  const row = await db.get<{ total: bigint | number | string }>(selectBalanceTotal);
  return BigInt(row?.total ?? 0);
}

const selectRateLimit = sql('SELECT rate_limit_per_minute FROM users WHERE id = ?');
// Only a change is written (and NOTIFYed): a limit set again drops no node's copy of key owners.
const updateRateLimit = sql(
  'UPDATE users SET rate_limit_per_minute = ? WHERE id = ? AND rate_limit_per_minute IS DISTINCT FROM ?',
);

/** The user's own API requests per minute: null for the panel's default, 0 for none; undefined: no such user. */
export async function findUserRateLimit(q: Queryable, userId: number): Promise<number | null | undefined> {
  const row = await q.get<{ rate_limit_per_minute: bigint | null }>(selectRateLimit, [userId]);
  return row && numberOrNull(row.rate_limit_per_minute);
}

export async function setUserRateLimit(
  q: Queryable,
  userId: number,
  perMinute: number | null,
): Promise<void> {
  if ((await q.run(updateRateLimit, [perMinute, userId, perMinute])) === 1) await notifyKeyOwnersChanged(q);
}

const updateStatusSql = sql('UPDATE users SET status = ? WHERE id = ? AND status <> ?');

/** Resolves to false when the user already had that status. */
export async function setUserStatus(q: Queryable, userId: number, status: UserStatus): Promise<boolean> {
  const changed = (await q.run(updateStatusSql, [status, userId, status])) === 1;
  if (changed) await notifyKeyOwnersChanged(q);
  return changed;
}

/** What a web login checks: the password hash (null: API-only user) and whether the user may log in. */
export interface UserLogin {
  readonly id: number;
  readonly passwordHash: string | null;
  readonly status: UserStatus;
}

const selectLogin = sql(
  `SELECT id, password_hash, status FROM users WHERE username = ? OR username_key = ?
   ORDER BY CASE WHEN username = ? THEN 0 ELSE 1 END LIMIT 1`,
);

/** The account a login names: the exact username, else the one whose key it matches (any case, NFKC). */
export async function findUserLogin(q: Queryable, username: string): Promise<UserLogin | undefined> {
  const row = await q.get<{ id: bigint; password_hash: string | null; status: string }>(selectLogin, [
    username,
    usernameKey(username),
    username,
  ]);
  return row && { id: Number(row.id), passwordHash: row.password_hash, status: readUserStatus(row.status) };
}

/** A user as the admin's list shows them. */
export interface ListedUser extends User {
  /** Requests per minute for the user's keys: null for the panel's default (SMMKIT_RATE_LIMIT), 0 for none. */
  readonly rateLimitPerMinute: number | null;
  /** Top-level orders (drip-feed runs and subscription posts are counted under their parent). */
  readonly orders: number;
}

interface ListedUserRow extends UserRow {
  rate_limit_per_minute: bigint | null;
  orders: bigint;
}

/** The condition of a username-fragment search (none without a fragment). */
function userSearch(search: string | undefined): { conditions: string[]; params: SqlValue[] } {
  if (search === undefined || search === '') return { conditions: [], params: [] };
  return {
    conditions: ["LOWER(u.username) LIKE ? ESCAPE '\\'"],
    params: [`%${search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`],
  };
}

const whereOf = (conditions: readonly string[]) =>
  conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';

/** How many users the admin's list finds for a username fragment (all of them without one). */
export async function countUsersMatching(q: Queryable, search: string | undefined): Promise<number> {
  const { conditions, params } = userSearch(search);
  const row = await q.get<{ count: bigint }>(
    dynamicSql(`SELECT COUNT(*) AS count FROM users u ${whereOf(conditions)}`),
    params,
  );
  return Number(row?.count ?? 0n);
}

/** The admin's user list, newest first, optionally filtered by a username fragment. */
export async function searchUsers(
  q: Queryable,
  filter: { search?: string | undefined; beforeId?: number | undefined; limit: number; offset: number },
): Promise<ListedUser[]> {
  const { conditions, params } = userSearch(filter.search);
  // A keyset page: the rows after the last one a client saw (ids descend).
  if (filter.beforeId !== undefined) {
    conditions.push('u.id < ?');
    params.push(filter.beforeId);
  }
  const where = whereOf(conditions);
  params.push(filter.limit, filter.offset);
  const rows = await q.all<ListedUserRow>(
    dynamicSql(
      `SELECT u.id, u.username, u.role, u.status, u.balance, u.created_at, u.rate_limit_per_minute,
         (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.id AND o.parent_id IS NULL) AS orders
       FROM users u ${where} ORDER BY u.id DESC LIMIT ? OFFSET ?`,
    ),
    params,
  );
  return rows.map((row) => ({
    ...toUser(row),
    rateLimitPerMinute: numberOrNull(row.rate_limit_per_minute),
    orders: Number(row.orders),
  }));
}

const selectUsernames = sqlByDialect({
  sqlite: 'SELECT id, username FROM users WHERE id IN (SELECT value FROM json_each(?))',
  postgres: 'SELECT id, username FROM users WHERE id = ANY(?::bigint[])',
});

/** The usernames of these users (ids not found are left out), in one read. */
export async function findUsernames(q: Queryable, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await q.all<{ id: bigint; username: string }>(selectUsernames, [idArray(q, ids)]);
  return new Map(rows.map((row) => [Number(row.id), row.username]));
}

const selectLanguage = sql('SELECT language FROM users WHERE id = ?');
const updateLanguage = sql('UPDATE users SET language = ? WHERE id = ?');

/** The language a user chose (null: none), or undefined when there is no such user. */
export async function findUserLanguage(q: Queryable, userId: number): Promise<string | null | undefined> {
  const row = await q.get<{ language: string | null }>(selectLanguage, [userId]);
  return row === undefined ? undefined : row.language;
}

/** Saves (or with null, forgets) a user's language; false when there is no such user. */
export async function setUserLanguage(
  q: Queryable,
  userId: number,
  language: string | null,
): Promise<boolean> {
  return (await q.run(updateLanguage, [language, userId])) > 0;
}
