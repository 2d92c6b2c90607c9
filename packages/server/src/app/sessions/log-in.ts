import { setTimeout as delay } from 'node:timers/promises';
import { type Failure, type Result, fail, ok } from '../../domain/errors.js';
import { usernameKey } from '../../domain/usernames.js';
import {
  clearLoginFailures,
  countLoginFailures,
  deleteLoginFailure,
  insertLoginFailure,
} from '../../store/login-failures.js';
import { lockSignInKeys } from '../../store/sign-in-locks.js';
import { findUserLogin } from '../../store/users.js';
import { type SignInPolicy } from '../challenges/challenge-policy.js';
import { checkChallenge, spendCheckedChallenge } from '../challenges/spend-challenge.js';
import type { Context } from '../context.js';
import { spendPasswordCheck, verifyPassword } from '../users/credentials.js';
import { hasTwoFactor } from '../two-factor/has-two-factor.js';
import { type PendingLogin, startPendingLogin } from './pending-login.js';
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
  /** A solved proof-of-work challenge (ALTCHA payload): needed past the failure allowance. */
  readonly challenge?: string | undefined;
  readonly policy: SignInPolicy;
}

/** Past the allowance, each further failure (challenged) waits this much longer to be answered, up to the cap. */
const SLOW_DOWN_STEP_MS = 500;
const SLOW_DOWN_CAP_MS = 5000;

export interface Attempt {
  readonly id: number;
  /** Failures past the allowance already in the window (0 within it). */
  readonly excess: number;
}

/**
 * Reserves one password check for this username and address: under the keys' lock, counts the
 * failures in the window and records this attempt as one more. However many requests arrive at once,
 * no more than the allowance reach the (costly) password check unchallenged; past it, each needs a
 * solved challenge of its own (or, with the challenge off, waits out the window). The rightful owner
 * is never locked out: a correct password with a solved challenge always gets in.
 */
export async function reserveLoginAttempt(
  ctx: Context,
  key: { username: string; address: string },
  input: Pick<LogInInput, 'challenge' | 'policy'>,
): Promise<Result<Attempt>> {
  const solved =
    input.policy.challenge && input.challenge !== undefined
      ? await checkChallenge(ctx, input.challenge)
      : null;
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    await lockSignInKeys(tx, [`login:user:${key.username}`, `login:address:${key.address}`], now);
    const failures = await countLoginFailures(tx, { ...key, since: now - LOGIN_WINDOW_MS });
    const excess = Math.max(
      failures.username - MAX_FAILURES_PER_USERNAME + 1,
      failures.address - MAX_FAILURES_PER_ADDRESS + 1,
      0,
    );
    if (excess > 0) {
      if (!input.policy.challenge) {
        return fail<Attempt>({ code: 'LOGIN_THROTTLED', retryAfterSeconds: LOGIN_WINDOW_MS / 1000 });
      }
      if (input.challenge === undefined)
        return fail<Attempt>({ code: 'CHALLENGE_REQUIRED', reason: 'failures' });
      if (solved === null) return fail<Attempt>({ code: 'CHALLENGE_FAILED' });
      const spent = await spendCheckedChallenge(tx, solved);
      if (!spent.ok) return spent;
    }
    return ok({ id: await insertLoginFailure(tx, { ...key, now }), excess });
  });
}

/** A login's outcome: a session, or (2FA on) a login waiting for its second step, with no session yet. */
export type LoggedIn =
  | ({ readonly kind: 'session'; readonly userId: number } & StartedSession)
  | ({ readonly kind: 'two-factor' } & PendingLogin);

export async function logIn(ctx: Context, input: LogInInput): Promise<Result<LoggedIn>> {
  const username = input.username.trim().slice(0, 64);
  const key = { username: usernameKey(username), address: input.address };
  const attempt = await reserveLoginAttempt(ctx, key, input);
  if (!attempt.ok) return attempt;
  const login = await findUserLogin(ctx.db, username);
  const password = input.password.slice(0, MAX_PASSWORD_LENGTH);
  let valid = false;
  if (login?.passwordHash) valid = await verifyPassword(password, login.passwordHash);
  else await spendPasswordCheck(password);
  // A suspended account cannot log in, and is told no more than a wrong password would be.
  // The reserved attempt stays recorded as the failure.
  if (!login || !valid || login.status !== 'active')
    return slowFailure(attempt.value, { code: 'INVALID_LOGIN' });
  await forgetLoginFailures(ctx, attempt.value, key.username);
  if (await hasTwoFactor(ctx, login.id))
    return ok({ kind: 'two-factor', ...(await startPendingLogin(ctx, login.id)) });
  return ok({ kind: 'session', ...(await startSession(ctx, login.id)), userId: login.id });
}

/** A failure answered late past the allowance: each further one waits longer, up to the cap. */
export async function slowFailure<T>(attempt: Attempt, failure: Failure): Promise<Result<T>> {
  const wait = Math.min(attempt.excess * SLOW_DOWN_STEP_MS, SLOW_DOWN_CAP_MS);
  if (wait > 0) await delay(wait);
  return fail(failure);
}

/** A step proved who it is: its reserved attempt is taken back and the username's failures forgotten. */
export async function forgetLoginFailures(
  ctx: Context,
  attempt: Attempt,
  usernameKey: string,
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await deleteLoginFailure(tx, attempt.id);
    await clearLoginFailures(tx, usernameKey);
  });
}
