import { type Result, fail, ok } from '../../domain/errors.js';
import { usernameKey } from '../../domain/usernames.js';
import { attemptPendingLogin, deletePendingLogin } from '../../store/pending-logins.js';
import { findUserById } from '../../store/users.js';
import type { SignInPolicy } from '../challenges/challenge-policy.js';
import type { Context } from '../context.js';
import { checkSecondFactor } from '../two-factor/check-second-factor.js';
import { forgetLoginFailures, reserveLoginAttempt, slowFailure } from './log-in.js';
import { PENDING_LOGIN_MAX_ATTEMPTS } from './pending-login.js';
import { hashSessionToken } from './session-token.js';
import { type StartedSession, startSession } from './start-session.js';

export interface SecondStepInput {
  /** The pending-login cookie. */
  readonly pendingToken: string | undefined;
  /** A TOTP code or a recovery code. */
  readonly code: string;
  readonly challenge?: string | undefined;
  readonly address: string;
  readonly policy: SignInPolicy;
}

/**
 * The second step of a login with 2FA: the code counts against the login throttle like a password
 * (reserved first; past the allowance it needs a solved challenge), and each pending login allows
 * five codes. A right code ends the pending login and starts the session.
 */
export async function completeTwoFactorLogin(
  ctx: Context,
  input: SecondStepInput,
): Promise<Result<StartedSession & { userId: number }>> {
  if (input.pendingToken === undefined || input.pendingToken === '' || input.pendingToken.length > 100) {
    return fail({ code: 'TWO_FACTOR_LOGIN_EXPIRED' });
  }
  const tokenHash = hashSessionToken(input.pendingToken);
  const userId = await ctx.db.transaction((tx) =>
    attemptPendingLogin(tx, { tokenHash, now: ctx.clock.now(), maxAttempts: PENDING_LOGIN_MAX_ATTEMPTS }),
  );
  const user = userId === undefined ? undefined : await findUserById(ctx.db, userId);
  if (!user || user.status !== 'active') return fail({ code: 'TWO_FACTOR_LOGIN_EXPIRED' });
  const key = { username: usernameKey(user.username), address: input.address };
  const attempt = await reserveLoginAttempt(ctx, key, input);
  if (!attempt.ok) return attempt;
  if (!(await checkSecondFactor(ctx, { userId: user.id, code: input.code.slice(0, 64) }))) {
    return slowFailure(attempt.value, { code: 'INVALID_TWO_FACTOR_CODE' });
  }
  await forgetLoginFailures(ctx, attempt.value, key.username);
  await ctx.db.transaction((tx) => deletePendingLogin(tx, tokenHash));
  return ok({ ...(await startSession(ctx, user.id)), userId: user.id });
}
