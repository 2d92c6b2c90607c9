import { findTwoFactor, useRecoveryCode, useTimeStep } from '../../store/two-factor.js';
import { type Context, secretsOf } from '../context.js';
import { hashRecoveryCode, looksLikeRecoveryCode, matchTotp } from './totp.js';

/**
 * Whether a code is the user's second factor now: a TOTP code of a step not used before (its step is
 * then recorded, so the same code never works twice), or an unused recovery code (then spent).
 * False, with nothing changed, for anything else; also when 2FA is off.
 */
export async function checkSecondFactor(
  ctx: Context,
  input: { userId: number; code: string },
): Promise<boolean> {
  const factor = await findTwoFactor(ctx.db, input.userId);
  if (!factor || factor.enabledAt === null) return false;
  const code = input.code.trim();
  const now = ctx.clock.now();
  if (looksLikeRecoveryCode(code)) {
    return ctx.db.transaction((tx) =>
      useRecoveryCode(tx, { userId: input.userId, hash: hashRecoveryCode(code), now }),
    );
  }
  // The secret is opened only here, to check this code (a clear one stored before a key was set reads as is).
  const secret = secretsOf(ctx).open(factor.storedSecret);
  const timeStep = await matchTotp({ secret, code, now, afterTimeStep: factor.lastTimeStep });
  if (timeStep === null) return false;
  return ctx.db.transaction((tx) => useTimeStep(tx, input.userId, timeStep));
}
