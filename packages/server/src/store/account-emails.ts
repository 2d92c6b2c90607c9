import { type UserStatus, readUserStatus } from '../domain/accounts.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** A user's address and what recovery needs to know about them. */
export interface AccountEmail {
  readonly userId: number;
  readonly username: string;
  readonly status: UserStatus;
  /** Lower-cased; null: the user has none. */
  readonly email: string | null;
  readonly emailVerifiedAt: number | null;
}

interface AccountEmailRow {
  id: bigint;
  username: string;
  status: string;
  email: string | null;
  email_verified_at: bigint | null;
}

function toAccountEmail(row: AccountEmailRow): AccountEmail {
  return {
    userId: Number(row.id),
    username: row.username,
    status: readUserStatus(row.status),
    email: row.email,
    emailVerifiedAt: numberOrNull(row.email_verified_at),
  };
}

const COLUMNS = 'id, username, status, email, email_verified_at';
const selectByEmail = sql(`SELECT ${COLUMNS} FROM users WHERE email = ?`);
const selectById = sql(`SELECT ${COLUMNS} FROM users WHERE id = ?`);
const selectByUsername = sql(`SELECT ${COLUMNS} FROM users WHERE username = ?`);

export async function findAccountByEmail(q: Queryable, email: string): Promise<AccountEmail | undefined> {
  const row = await q.get<AccountEmailRow>(selectByEmail, [email]);
  return row && toAccountEmail(row);
}

export async function findAccountById(q: Queryable, userId: number): Promise<AccountEmail | undefined> {
  const row = await q.get<AccountEmailRow>(selectById, [userId]);
  return row && toAccountEmail(row);
}

export async function findAccountByUsername(
  q: Queryable,
  username: string,
): Promise<AccountEmail | undefined> {
  const row = await q.get<AccountEmailRow>(selectByUsername, [username]);
  return row && toAccountEmail(row);
}

// The unique index on users.email is the last word; the NOT EXISTS keeps the usual conflict a
// value rather than a constraint error.
const setEmailSql = sql(
  `UPDATE users SET email = ?, email_verified_at = NULL
   WHERE id = ? AND NOT EXISTS (SELECT 1 FROM users other WHERE other.email = ? AND other.id <> ?)`,
);

/** Sets an unverified address; false when another user has it. */
export async function setUnverifiedEmail(q: Queryable, userId: number, email: string): Promise<boolean> {
  return (await q.run(setEmailSql, [email, userId, email, userId])) === 1;
}

const verifySql = sql(
  'UPDATE users SET email_verified_at = ? WHERE id = ? AND email = ? AND email_verified_at IS NULL',
);

/** Marks the address verified if it is still the user's; false otherwise (changed, or done already). */
export async function markEmailVerified(
  q: Queryable,
  userId: number,
  email: string,
  now: number,
): Promise<boolean> {
  return (await q.run(verifySql, [now, userId, email])) === 1;
}

const selectPasswordHash = sql('SELECT password_hash FROM users WHERE id = ?');
const setPasswordHashSql = sql('UPDATE users SET password_hash = ? WHERE id = ?');

/** The stored scrypt hash (null: no password, API only); undefined: no such user. */
export async function findPasswordHash(q: Queryable, userId: number): Promise<string | null | undefined> {
  const row = await q.get<{ password_hash: string | null }>(selectPasswordHash, [userId]);
  return row?.password_hash;
}

export async function setPasswordHash(q: Queryable, userId: number, hash: string): Promise<void> {
  await q.run(setPasswordHashSql, [hash, userId]);
}
