import { type Result, fail, ok } from '../../domain/errors.js';
import { usernameKey } from '../../domain/usernames.js';
import {
  clearLoginFailures,
  countLoginFailures,
  deleteLoginFailure,
  insertLoginFailure,
} from '../../store/login-failures.js';
import { lockSignInKeys } from '../../store/sign-in-locks.js';
import { findUserLogin } from '../../store/users.js';
import type { Context } from '../context.js';
import { spendPasswordCheck, verifyPassword } from '../users/credentials.js';
import { type StartedSession, startSession } from './start-session.js';

/** Failed logins are counted over this window, from the database, so every serve process agrees. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Failures allowed per username, and per client address, within the window. */
export const MAX_FAILURES_PER_USERNAME = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

const MAX_PASSWORD_LENGTH = 1024;

export interface LogInInput {
  readonly username: string;
  readonly password: string;
  /** The client's address, as the HTTP layer sees it. */
  readonly address: string;
}

/**
 * Reserves one password check for this username and address: under the keys' lock, counts the
 * failures in the window and, below the allowance, records this attempt as one more. However many
 * requests arrive at once, no more than the allowance reach the (costly) password check.
 */
async function reserveAttempt(
  ctx: Context,
  key: { username: string; address: string },
): Promise<Result<number>> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    await lockSignInKeys(tx, [`login:user:${key.username}`, `login:address:${key.address}`], now);
    const failures = await countLoginFailures(tx, { ...key, since: now - LOGIN_WINDOW_MS });
    if (failures.username >= MAX_FAILURES_PER_USERNAME || failures.address >= MAX_FAILURES_PER_ADDRESS) {
      return fail<number>({ code: 'LOGIN_THROTTLED', retryAfterSeconds: LOGIN_WINDOW_MS / 1000 });
    }
    return ok(await insertLoginFailure(tx, { ...key, now }));
  });
}

export async function logIn(
  ctx: Context,
  input: LogInInput,
): Promise<Result<StartedSession & { userId: number }>> {
  const username = input.username.trim().slice(0, 64);
  const key = { username: usernameKey(username), address: input.address };
  const attempt = await reserveAttempt(ctx, key);
  if (!attempt.ok) return attempt;
  const login = await findUserLogin(ctx.db, username);
  const password = input.password.slice(0, MAX_PASSWORD_LENGTH);
  let valid = false;
  if (login?.passwordHash) valid = await verifyPassword(password, login.passwordHash);
  else await spendPasswordCheck(password);
  // A suspended account cannot log in, and is told no more than a wrong password would be.
  // The reserved attempt stays recorded as the failure.
  if (!login || !valid || login.status !== 'active') return fail({ code: 'INVALID_LOGIN' });
  await ctx.db.transaction(async (tx) => {
    await deleteLoginFailure(tx, attempt.value);
    await clearLoginFailures(tx, key.username);
  });
  return ok({ ...(await startSession(ctx, login.id)), userId: login.id });
}
