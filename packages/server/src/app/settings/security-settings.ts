import { type Result, ok } from '../../domain/errors.js';
import { readSettings, upsertSetting } from '../../store/settings.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

export interface SecuritySettings {
  /** Whether visitors may sign up; false: invite-only (the admin creates users). Open by default. */
  readonly signUpOpen: boolean;
  /** Whether every staff member must use two-factor sign-in (those without it are sent to set it up). */
  readonly staffTwoFactorRequired: boolean;
}

const SIGN_UP_OPEN = 'sign_up_open';
const STAFF_TWO_FACTOR = 'staff_two_factor_required';

export async function readSecuritySettings(ctx: Context): Promise<SecuritySettings> {
  const stored = await readSettings(ctx.db);
  return {
    signUpOpen: stored.get(SIGN_UP_OPEN) !== 'false',
    staffTwoFactorRequired: stored.get(STAFF_TWO_FACTOR) === 'true',
  };
}

export async function updateSecuritySettings(
  ctx: Context,
  input: SecuritySettings,
): Promise<Result<SecuritySettings>> {
  return ctx.db.transaction(async (tx) => {
    const settings = { signUpOpen: input.signUpOpen, staffTwoFactorRequired: input.staffTwoFactorRequired };
    await upsertSetting(tx, SIGN_UP_OPEN, String(settings.signUpOpen), ctx.clock.now());
    await upsertSetting(tx, STAFF_TWO_FACTOR, String(settings.staffTwoFactorRequired), ctx.clock.now());
    await recordAudit(tx, ctx, 'settings.security', 'settings', settings);
    return ok(settings);
  });
}
