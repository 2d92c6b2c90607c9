import { type Queryable, type SqlValue, dynamicSql, sql } from './database.js';
import type { UserRole, UserStatus } from './users.js';

const selectLogin = sql('SELECT id, password_hash, status FROM users WHERE username = ?');
const updateStatusSql = sql('UPDATE users SET status = ? WHERE id = ? AND status <> ?');

export interface LoginRow {
  id: bigint;
  password_hash: string | null;
  status: UserStatus;
}

export function findLogin(q: Queryable, username: string): Promise<LoginRow | undefined> {
  return q.get<LoginRow>(selectLogin, [username]);
}

/** Resolves to false when the user already had that status. */
export async function setUserStatus(q: Queryable, userId: number, status: UserStatus): Promise<boolean> {
  return (await q.run(updateStatusSql, [status, userId, status])) === 1;
}

export interface UserListRow {
  id: bigint;
  username: string;
  role: UserRole;
  status: UserStatus;
  balance: bigint;
  /** NULL: the panel's default (SMMKIT_RATE_LIMIT); 0: no limit. */
  rate_limit_per_minute: bigint | null;
  created_at: bigint;
  orders: bigint;
}

/** The admin's user list, newest first, optionally filtered by a username fragment. */
export function searchUsers(
  q: Queryable,
  filter: { search?: string | undefined; limit: number; offset: number },
): Promise<UserListRow[]> {
  const params: SqlValue[] = [];
  let where = '';
  if (filter.search !== undefined && filter.search !== '') {
    where = 'WHERE LOWER(u.username) LIKE ?';
    params.push(`%${filter.search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`);
    where += " ESCAPE '\\'";
  }
  params.push(filter.limit, filter.offset);
  return q.all<UserListRow>(
    dynamicSql(
      `SELECT u.id, u.username, u.role, u.status, u.balance, u.created_at, u.rate_limit_per_minute,
         (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.id AND o.parent_id IS NULL) AS orders
       FROM users u ${where} ORDER BY u.id DESC LIMIT ? OFFSET ?`,
    ),
    params,
  );
}

const selectUserRatesOf = sql(
  `SELECT r.service_id, s.name, r.rate, s.rate AS service_rate FROM user_rates r
   JOIN services s ON s.id = r.service_id WHERE r.user_id = ? ORDER BY r.service_id`,
);

export function listRatesOfUser(
  q: Queryable,
  userId: number,
): Promise<{ service_id: bigint; name: string; rate: bigint; service_rate: bigint }[]> {
  return q.all(selectUserRatesOf, [userId]);
}
