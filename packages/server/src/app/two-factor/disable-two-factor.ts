import { type Result, fail, ok } from '../../domain/errors.js';
import { deleteTwoFactor, findTwoFactor } from '../../store/two-factor.js';
import { findUserLogin } from '../../store/users.js';
import { findUserById } from '../../store/users.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { verifyPassword } from '../users/credentials.js';
import { checkSecondFactor } from './check-second-factor.js';

/** Turns 2FA off: the password and a current code (or a recovery code) are both needed. */
export async function disableTwoFactor(
  ctx: Context,
  input: { userId: number; password: string; code: string },
): Promise<Result<{ ok: true }>> {
  const factor = await findTwoFactor(ctx.db, input.userId);
  if (!factor || factor.enabledAt === null) return fail({ code: 'TWO_FACTOR_OFF' });
  const user = await findUserById(ctx.db, input.userId);
  const login = user && (await findUserLogin(ctx.db, user.username));
  if (!login?.passwordHash || !(await verifyPassword(input.password.slice(0, 1024), login.passwordHash))) {
    return fail({ code: 'INVALID_LOGIN' });
  }
  if (!(await checkSecondFactor(ctx, { userId: input.userId, code: input.code }))) {
    return fail({ code: 'INVALID_TWO_FACTOR_CODE' });
  }
  return ctx.db.transaction(async (tx) => {
    await deleteTwoFactor(tx, input.userId);
    await recordAudit(tx, ctx, 'user.two_factor.disable', `user:${input.userId}`, {});
    return ok({ ok: true as const });
  });
}
