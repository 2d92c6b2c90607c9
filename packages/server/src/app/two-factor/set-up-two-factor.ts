import { type Result, fail, ok } from '../../domain/errors.js';
import { storePendingSecret } from '../../store/two-factor.js';
import { findUserById } from '../../store/users.js';
import { type Context, secretsOf } from '../context.js';
import { readPanelSettings } from '../settings/panel-settings.js';
import { newTotpSecret, otpauthUrl } from './totp.js';

/**
 * A new TOTP secret for the user's authenticator app, stored sealed (SMMKIT_SECRET_KEY) and shown
 * here once; 2FA turns on once a code from it is confirmed.
 */
export async function setUpTwoFactor(
  ctx: Context,
  userId: number,
): Promise<Result<{ secret: string; otpauthUrl: string }>> {
  const user = await findUserById(ctx.db, userId);
  if (!user) return fail({ code: 'NOT_FOUND' });
  const secret = newTotpSecret();
  const stored = await ctx.db.transaction((tx) =>
    storePendingSecret(tx, { userId, storedSecret: secretsOf(ctx).seal(secret), now: ctx.clock.now() }),
  );
  if (!stored) return fail({ code: 'TWO_FACTOR_ALREADY_ON' });
  const issuer = (await readPanelSettings(ctx)).panelName;
  return ok({ secret, otpauthUrl: otpauthUrl({ issuer, username: user.username, secret }) });
}
