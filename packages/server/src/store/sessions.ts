import { type UserRole, type UserStatus, readUserRole, readUserStatus } from '../domain/accounts.js';
import { type Queryable, sql } from './database.js';
import { isSet } from './column-values.js';

/** A live web session and the user it belongs to, read in one statement on every web request. */
export interface SessionUser {
  readonly sessionId: number;
  readonly csrfToken: string;
  readonly expiresAt: number;
  readonly userId: number;
  readonly username: string;
  readonly role: UserRole;
  readonly status: UserStatus;
  readonly balance: bigint;
  /** The staff member signed in as this user, or null. */
  readonly impersonator: { readonly id: number; readonly username: string } | null;
  /** Whether the user has two-factor sign-in on. */
  readonly twoFactor: boolean;
  /** The language the user chose for the web panel and their emails (null: not chosen). */
  readonly language: string | null;
}

interface SessionUserRow {
  session_id: bigint;
  csrf_token: string;
  expires_at: bigint;
  user_id: bigint;
  username: string;
  role: string;
  status: string;
  balance: bigint;
  impersonator_id: bigint | null;
  impersonator_username: string | null;
  two_factor: bigint;
  language: string | null;
}

function toSessionUser(row: SessionUserRow): SessionUser {
  return {
    sessionId: Number(row.session_id),
    csrfToken: row.csrf_token,
    expiresAt: Number(row.expires_at),
    userId: Number(row.user_id),
    username: row.username,
    role: readUserRole(row.role),
    status: readUserStatus(row.status),
    balance: row.balance,
    impersonator:
      row.impersonator_id === null
        ? null
        : { id: Number(row.impersonator_id), username: row.impersonator_username ?? '' },
    twoFactor: isSet(row.two_factor),
    language: row.language,
  };
}

const insertSessionSql = sql(
  `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, impersonator_id)
   VALUES (?, ?, ?, ?, ?, ?)`,
);
const selectSessionUser = sql(
  `SELECT s.id AS session_id, s.csrf_token, s.expires_at, u.id AS user_id, u.username, u.role, u.status,
     u.balance, u.language, s.impersonator_id, i.username AS impersonator_username,
     CASE WHEN EXISTS (SELECT 1 FROM two_factor t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL)
       THEN 1 ELSE 0 END AS two_factor
   FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN users i ON i.id = s.impersonator_id
   WHERE s.token_hash = ? AND s.expires_at > ?`,
);
const deleteSessionSql = sql('DELETE FROM sessions WHERE token_hash = ?');
const deleteUserSessionsSql = sql('DELETE FROM sessions WHERE user_id = ?');
const deleteExpiredSql = sql('DELETE FROM sessions WHERE expires_at <= ?');

export async function insertSession(
  q: Queryable,
  session: {
    tokenHash: string;
    userId: number;
    csrfToken: string;
    now: number;
    expiresAt: number;
    impersonatorId?: number | null;
  },
): Promise<void> {
  await q.run(insertSessionSql, [
    session.tokenHash,
    session.userId,
    session.csrfToken,
    session.now,
    session.expiresAt,
    session.impersonatorId ?? null,
  ]);
}

/** The live session with this token hash and its user, or undefined when unknown or expired. */
export async function findSessionUser(
  q: Queryable,
  tokenHash: string,
  now: number,
): Promise<SessionUser | undefined> {
  const row = await q.get<SessionUserRow>(selectSessionUser, [tokenHash, now]);
  return row && toSessionUser(row);
}

export async function deleteSession(q: Queryable, tokenHash: string): Promise<void> {
  await q.run(deleteSessionSql, [tokenHash]);
}

/** Ends every session of a user (suspension). */
export async function deleteUserSessions(q: Queryable, userId: number): Promise<void> {
  await q.run(deleteUserSessionsSql, [userId]);
}

export function deleteExpiredSessions(q: Queryable, now: number): Promise<number> {
  return q.run(deleteExpiredSql, [now]);
}

/** One live session of a user, as the admin's user panel lists it (never its token). */
export interface UserSession {
  readonly id: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** The staff member signed in as this user, when the session is theirs. */
  readonly impersonator: string | null;
}

const selectUserSessions = sql(
  `SELECT s.id, s.created_at, s.expires_at, i.username AS impersonator
   FROM sessions s LEFT JOIN users i ON i.id = s.impersonator_id
   WHERE s.user_id = ? AND s.expires_at > ? ORDER BY s.id DESC LIMIT 50`,
);

/** A user's live sessions, newest first (at most 50). */
export async function listUserSessions(q: Queryable, userId: number, now: number): Promise<UserSession[]> {
  const rows = await q.all<{
    id: bigint;
    created_at: bigint;
    expires_at: bigint;
    impersonator: string | null;
  }>(selectUserSessions, [userId, now]);
  return rows.map((row) => ({
    id: Number(row.id),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    impersonator: row.impersonator,
  }));
}
