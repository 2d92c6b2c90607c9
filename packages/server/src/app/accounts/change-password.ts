import { type Result, fail, ok } from '../../domain/errors.js';
import { findPasswordHash, setPasswordHash } from '../../store/account-emails.js';
import type { Context } from '../context.js';
import { hashPassword, spendPasswordCheck, verifyPassword } from '../users/credentials.js';
import { checkNewPassword } from './new-password.js';

/** A logged-in user changes their password, proving the current one. */
export async function changePassword(
  ctx: Context,
  input: { userId: number; current: string; password: string },
): Promise<Result<{ ok: true }>> {
  const invalid = checkNewPassword(input.password);
  if (invalid) return fail(invalid);
  const stored = await findPasswordHash(ctx.db, input.userId);
  if (stored == null) {
    await spendPasswordCheck(input.current);
    return fail({ code: 'WRONG_PASSWORD' });
  }
  if (!(await verifyPassword(input.current, stored))) return fail({ code: 'WRONG_PASSWORD' });
  const hash = await hashPassword(input.password);
  await ctx.db.transaction((tx) => setPasswordHash(tx, input.userId, hash));
  return ok({ ok: true as const });
}
