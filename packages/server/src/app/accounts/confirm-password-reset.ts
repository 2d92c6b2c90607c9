import { type Result, FailureSignal, fail, ok } from '../../domain/errors.js';
import { consumeAccountToken, retireAccountTokens } from '../../store/account-tokens.js';
import { markEmailVerified, setPasswordHash } from '../../store/account-emails.js';
import { deleteUserSessions } from '../../store/sessions.js';
import type { Context } from '../context.js';
import { hashPassword } from '../users/credentials.js';
import { hashAccountToken } from './account-links.js';
import { checkNewPassword } from './new-password.js';

/**
 * Sets a new password from a reset link: the token is used up (single use, one hour), every other
 * reset link of the user dies, every session of the user ends. The link proves the address too.
 * A bad, expired or used token changes nothing.
 */
export async function confirmPasswordReset(
  ctx: Context,
  input: { token: string; password: string },
): Promise<Result<{ ok: true }>> {
  const invalid = checkNewPassword(input.password);
  if (invalid) return fail(invalid);
  const hash = await hashPassword(input.password);
  try {
    return await ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      const token = await consumeAccountToken(tx, 'reset_password', hashAccountToken(input.token), now);
      if (token === undefined) throw new FailureSignal({ code: 'INVALID_TOKEN' });
      await setPasswordHash(tx, token.userId, hash);
      await retireAccountTokens(tx, token.userId, 'reset_password', now);
      await deleteUserSessions(tx, token.userId);
      await markEmailVerified(tx, token.userId, token.email, now);
      return ok({ ok: true as const });
    });
  } catch (error) {
    if (error instanceof FailureSignal) return fail(error.failure);
    throw error;
  }
}
