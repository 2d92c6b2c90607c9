import { type Queryable, sql } from './database.js';

/** What a single-use account link is for. */
export type AccountTokenPurpose = 'verify_email' | 'reset_password';

const insertSql = sql(
  `INSERT INTO account_tokens (user_id, purpose, token_hash, email, created_at, expires_at)
   VALUES (?, ?, ?, ?, ?, ?)`,
);

/** Stores a token by its hash only. */
export async function insertAccountToken(
  q: Queryable,
  token: {
    userId: number;
    purpose: AccountTokenPurpose;
    tokenHash: string;
    email: string;
    now: number;
    expiresAt: number;
  },
): Promise<void> {
  await q.run(insertSql, [
    token.userId,
    token.purpose,
    token.tokenHash,
    token.email,
    token.now,
    token.expiresAt,
  ]);
}

// The compare-and-set that makes a token single-use: of two requests with it, one takes it.
const consumeSql = sql(
  `UPDATE account_tokens SET used_at = ?
   WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
   RETURNING user_id, email`,
);

/** Uses a live token up; undefined when unknown, expired, used or for another purpose. */
export async function consumeAccountToken(
  q: Queryable,
  purpose: AccountTokenPurpose,
  tokenHash: string,
  now: number,
): Promise<{ userId: number; email: string } | undefined> {
  const row = await q.get<{ user_id: bigint; email: string }>(consumeSql, [now, tokenHash, purpose, now]);
  return row && { userId: Number(row.user_id), email: row.email };
}

const retireSql = sql(
  'UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL',
);

/** Retires every live token of a user for a purpose (a password was just set: older links die). */
export async function retireAccountTokens(
  q: Queryable,
  userId: number,
  purpose: AccountTokenPurpose,
  now: number,
): Promise<void> {
  await q.run(retireSql, [now, userId, purpose]);
}

const insertRequestSql = sql(
  'INSERT INTO password_reset_requests (address, email, created_at) VALUES (?, ?, ?)',
);
const countRequestsSql = sql(
  `SELECT (SELECT COUNT(*) FROM password_reset_requests WHERE address = ? AND created_at > ?) AS by_address,
     (SELECT COUNT(*) FROM password_reset_requests WHERE email = ? AND created_at > ?) AS by_email`,
);

/** Records a reset request and answers how many came before it since `since`, per address and per email. */
export async function recordResetRequest(
  q: Queryable,
  request: { address: string; email: string; now: number; since: number },
): Promise<{ byAddress: number; byEmail: number }> {
  const row = await q.get<{ by_address: bigint; by_email: bigint }>(countRequestsSql, [
    request.address,
    request.since,
    request.email,
    request.since,
  ]);
  await q.run(insertRequestSql, [request.address, request.email, request.now]);
  return { byAddress: Number(row?.by_address ?? 0n), byEmail: Number(row?.by_email ?? 0n) };
}
