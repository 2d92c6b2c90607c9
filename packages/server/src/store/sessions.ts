import type { UserRole, UserStatus } from './users.js';
import { type Queryable, sql } from './database.js';

export interface SessionUserRow {
  session_id: bigint;
  csrf_token: string;
  expires_at: bigint;
  user_id: bigint;
  username: string;
  role: UserRole;
  status: UserStatus;
  balance: bigint;
}

const insertSessionSql = sql(
  'INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
);
const selectSessionUser = sql(
  `SELECT s.id AS session_id, s.csrf_token, s.expires_at, u.id AS user_id, u.username, u.role, u.status,
     u.balance
   FROM sessions s JOIN users u ON u.id = s.user_id
   WHERE s.token_hash = ? AND s.expires_at > ?`,
);
const deleteSessionSql = sql('DELETE FROM sessions WHERE token_hash = ?');
const deleteUserSessionsSql = sql('DELETE FROM sessions WHERE user_id = ?');
const deleteExpiredSql = sql('DELETE FROM sessions WHERE expires_at <= ?');

export async function insertSession(
  q: Queryable,
  session: { tokenHash: string; userId: number; csrfToken: string; now: number; expiresAt: number },
): Promise<void> {
  await q.run(insertSessionSql, [
    session.tokenHash,
    session.userId,
    session.csrfToken,
    session.now,
    session.expiresAt,
  ]);
}

/** The live session with this token hash and its user, or undefined when unknown or expired. */
export function findSessionUser(
  q: Queryable,
  tokenHash: string,
  now: number,
): Promise<SessionUserRow | undefined> {
  return q.get<SessionUserRow>(selectSessionUser, [tokenHash, now]);
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
