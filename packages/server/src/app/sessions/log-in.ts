import { setTimeout as delay } from 'node:timers/promises';
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
import { type SignInPolicy } from '../challenges/challenge-policy.js';
import { checkChallenge, spendCheckedChallenge } from '../challenges/spend-challenge.js';
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
  /** A solved proof-of-work challenge (ALTCHA payload): needed past the failure allowance. */
  readonly challenge?: string | undefined;
  readonly policy: SignInPolicy;
}

/** Past the allowance, each further failure (challenged) waits this much longer to be answered, up to the cap. */
const SLOW_DOWN_STEP_MS = 500;
const SLOW_DOWN_CAP_MS = 5000;

interface Attempt {
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
async function reserveAttempt(
  ctx: Context,
  key: { username: string; address: string },
  input: LogInInput,
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

export async function logIn(
  ctx: Context,
  input: LogInInput,
): Promise<Result<StartedSession & { userId: number }>> {
  const username = input.username.trim().slice(0, 64);
  const key = { username: usernameKey(username), address: input.address };
  const attempt = await reserveAttempt(ctx, key, input);
  if (!attempt.ok) return attempt;
  const login = await findUserLogin(ctx.db, username);
  const password = input.password.slice(0, MAX_PASSWORD_LENGTH);
  let valid = false;
  if (login?.passwordHash) valid = await verifyPassword(password, login.passwordHash);
  else await spendPasswordCheck(password);
  // A suspended account cannot log in, and is told no more than a wrong password would be.
  // The reserved attempt stays recorded as the failure.
  if (!login || !valid || login.status !== 'active') {
    const wait = Math.min(attempt.value.excess * SLOW_DOWN_STEP_MS, SLOW_DOWN_CAP_MS);
    if (wait > 0) await delay(wait);
    return fail({ code: 'INVALID_LOGIN' });
  }
  await ctx.db.transaction(async (tx) => {
    await deleteLoginFailure(tx, attempt.value.id);
    await clearLoginFailures(tx, key.username);
  });
  return ok({ ...(await startSession(ctx, login.id)), userId: login.id });
}
