import { type Result, fail, ok } from '../../domain/errors.js';
import { clearLoginFailures, countLoginFailures, insertLoginFailure } from '../../store/login-failures.js';
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

export async function logIn(
  ctx: Context,
  input: LogInInput,
): Promise<Result<StartedSession & { userId: number }>> {
  const username = input.username.trim().slice(0, 64);
  const now = ctx.clock.now();
  const failures = await countLoginFailures(ctx.db, {
    username,
    address: input.address,
    since: now - LOGIN_WINDOW_MS,
  });
  if (failures.username >= MAX_FAILURES_PER_USERNAME || failures.address >= MAX_FAILURES_PER_ADDRESS) {
    return fail({ code: 'LOGIN_THROTTLED', retryAfterSeconds: LOGIN_WINDOW_MS / 1000 });
  }
  const login = await findUserLogin(ctx.db, username);
  const password = input.password.slice(0, MAX_PASSWORD_LENGTH);
  let valid = false;
  if (login?.passwordHash) valid = await verifyPassword(password, login.passwordHash);
  else await spendPasswordCheck(password);
  // A suspended account cannot log in, and is told no more than a wrong password would be.
  if (!login || !valid || login.status !== 'active') {
    await ctx.db.transaction((tx) => insertLoginFailure(tx, { username, address: input.address, now }));
    return fail({ code: 'INVALID_LOGIN' });
  }
  await ctx.db.transaction((tx) => clearLoginFailures(tx, username));
  return ok({ ...(await startSession(ctx, login.id)), userId: login.id });
}
