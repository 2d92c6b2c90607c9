import { type Result, fail, ok } from '../../domain/errors.js';
import {
  enableTwoFactor as storeEnabled,
  findTwoFactor,
  replaceRecoveryCodes,
} from '../../store/two-factor.js';
import { recordAudit } from '../audit.js';
import { type Context, secretsOf } from '../context.js';
import { hashRecoveryCode, matchTotp, newRecoveryCodes } from './totp.js';

/** Confirms the set-up secret with a code from the app: 2FA is on, and ten recovery codes are shown once. */
export async function enableTwoFactor(
  ctx: Context,
  input: { userId: number; code: string },
): Promise<Result<{ recoveryCodes: string[] }>> {
  const setup = await findTwoFactor(ctx.db, input.userId);
  if (!setup) return fail({ code: 'TWO_FACTOR_NOT_SET_UP' });
  if (setup.enabledAt !== null) return fail({ code: 'TWO_FACTOR_ALREADY_ON' });
  const now = ctx.clock.now();
  const timeStep = await matchTotp({
    secret: secretsOf(ctx).open(setup.storedSecret),
    code: input.code.trim(),
    now,
    afterTimeStep: -1,
  });
  if (timeStep === null) return fail({ code: 'INVALID_TWO_FACTOR_CODE' });
  const recoveryCodes = newRecoveryCodes();
  return ctx.db.transaction(async (tx) => {
    const enabled = await storeEnabled(tx, {
      userId: input.userId,
      storedSecret: setup.storedSecret,
      timeStep,
      now,
    });
    if (!enabled) return fail<{ recoveryCodes: string[] }>({ code: 'TWO_FACTOR_ALREADY_ON' });
    await replaceRecoveryCodes(tx, {
      userId: input.userId,
      hashes: recoveryCodes.map(hashRecoveryCode),
      now,
    });
    await recordAudit(tx, ctx, 'user.two_factor.enable', `user:${input.userId}`, {});
    return ok({ recoveryCodes });
  });
}
