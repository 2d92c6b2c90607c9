import { type Queryable, sql } from './database.js';

/** A user's TOTP second factor: set up (enabledAt null) until a code confirms it. */
export interface TwoFactor {
  readonly userId: number;
  /**
   * The TOTP secret as stored: sealed with the secret box (`v1:…`, SMMKIT_SECRET_KEY), or the
   * Base32 text itself when stored without a key. Opened only to check a code.
   */
  readonly storedSecret: string;
  readonly enabledAt: number | null;
  /** The last TOTP time step accepted (-1: none): a code of that step or earlier is refused. */
  readonly lastTimeStep: number;
}

interface TwoFactorRow {
  user_id: bigint;
  secret: string;
  enabled_at: bigint | null;
  last_time_step: bigint;
}

function toTwoFactor(row: TwoFactorRow): TwoFactor {
  return {
    userId: Number(row.user_id),
    storedSecret: row.secret,
    enabledAt: row.enabled_at === null ? null : Number(row.enabled_at),
    lastTimeStep: Number(row.last_time_step),
  };
}

const selectSql = sql('SELECT user_id, secret, enabled_at, last_time_step FROM two_factor WHERE user_id = ?');
const upsertPendingSql = sql(
  `INSERT INTO two_factor (user_id, secret, enabled_at, last_time_step, created_at) VALUES (?, ?, NULL, -1, ?)
   ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, last_time_step = -1, created_at = excluded.created_at
   WHERE two_factor.enabled_at IS NULL`,
);
const enableSql = sql(
  `UPDATE two_factor SET enabled_at = ?, last_time_step = ?
   WHERE user_id = ? AND secret = ? AND enabled_at IS NULL AND last_time_step < ?`,
);
const useStepSql = sql(
  'UPDATE two_factor SET last_time_step = ? WHERE user_id = ? AND enabled_at IS NOT NULL AND last_time_step < ?',
);
const deleteSql = sql('DELETE FROM two_factor WHERE user_id = ?');
const listSecretsSql = sql('SELECT user_id, secret FROM two_factor ORDER BY user_id');
const replaceSecretSql = sql('UPDATE two_factor SET secret = ? WHERE user_id = ? AND secret = ?');
const deleteCodesSql = sql('DELETE FROM recovery_codes WHERE user_id = ?');
const insertCodeSql = sql('INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)');
const useCodeSql = sql(
  'UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL',
);
const countCodesSql = sql(
  'SELECT COUNT(*) AS count FROM recovery_codes WHERE user_id = ? AND used_at IS NULL',
);

export async function findTwoFactor(q: Queryable, userId: number): Promise<TwoFactor | undefined> {
  const row = await q.get<TwoFactorRow>(selectSql, [userId]);
  return row && toTwoFactor(row);
}

/** Stores a new (sealed) secret waiting for its first code; false when 2FA is already on (nothing changed). */
export async function storePendingSecret(
  q: Queryable,
  setup: { userId: number; storedSecret: string; now: number },
): Promise<boolean> {
  return (await q.run(upsertPendingSql, [setup.userId, setup.storedSecret, setup.now])) === 1;
}

/** Turns 2FA on with the secret the code was checked against (compare-and-set: it must still be that one). */
export async function enableTwoFactor(
  q: Queryable,
  change: { userId: number; storedSecret: string; timeStep: number; now: number },
): Promise<boolean> {
  const changed = await q.run(enableSql, [
    change.now,
    change.timeStep,
    change.userId,
    change.storedSecret,
    change.timeStep,
  ]);
  return changed === 1;
}

/** Records a TOTP time step as used; false when it (or a later one) already was: a replay. */
export async function useTimeStep(q: Queryable, userId: number, timeStep: number): Promise<boolean> {
  return (await q.run(useStepSql, [timeStep, userId, timeStep])) === 1;
}

export async function deleteTwoFactor(q: Queryable, userId: number): Promise<void> {
  await q.run(deleteCodesSql, [userId]);
  await q.run(deleteSql, [userId]);
}

/** The user's recovery codes become these (hashes); older ones stop working. */
export async function replaceRecoveryCodes(
  q: Queryable,
  codes: { userId: number; hashes: readonly string[]; now: number },
): Promise<void> {
  await q.run(deleteCodesSql, [codes.userId]);
  for (const hash of codes.hashes) await q.run(insertCodeSql, [codes.userId, hash, codes.now]);
}

/** Marks an unused recovery code used; false when it is unknown or spent. */
export async function useRecoveryCode(
  q: Queryable,
  code: { userId: number; hash: string; now: number },
): Promise<boolean> {
  return (await q.run(useCodeSql, [code.now, code.userId, code.hash])) === 1;
}

export async function countUnusedRecoveryCodes(q: Queryable, userId: number): Promise<number> {
  const row = await q.get<{ count: bigint }>(countCodesSql, [userId]);
  return Number(row?.count ?? 0n);
}

/** Every stored TOTP secret (sealed or not), for `smmkit secrets reencrypt`. */
export async function listStoredTwoFactorSecrets(
  q: Queryable,
): Promise<{ userId: number; storedSecret: string }[]> {
  const rows = await q.all<{ user_id: bigint; secret: string }>(listSecretsSql);
  return rows.map((row) => ({ userId: Number(row.user_id), storedSecret: row.secret }));
}

/** Replaces a stored secret by the same secret sealed anew, if it is still `expected` (compare-and-set). */
export async function replaceStoredTwoFactorSecret(
  q: Queryable,
  change: { userId: number; expected: string; storedSecret: string },
): Promise<boolean> {
  return (await q.run(replaceSecretSql, [change.storedSecret, change.userId, change.expected])) === 1;
}
