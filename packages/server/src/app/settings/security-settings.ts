import { type Result, ok } from '../../domain/errors.js';
import { readSettings, upsertSetting } from '../../store/settings.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

export interface SecuritySettings {
  /** Whether visitors may sign up; false: invite-only (the admin creates users). Open by default. */
  readonly signUpOpen: boolean;
}

const SIGN_UP_OPEN = 'sign_up_open';

export async function readSecuritySettings(ctx: Context): Promise<SecuritySettings> {
  const stored = await readSettings(ctx.db);
  return { signUpOpen: stored.get(SIGN_UP_OPEN) !== 'false' };
}

export async function updateSecuritySettings(
  ctx: Context,
  input: SecuritySettings,
): Promise<Result<SecuritySettings>> {
  return ctx.db.transaction(async (tx) => {
    await upsertSetting(tx, SIGN_UP_OPEN, String(input.signUpOpen), ctx.clock.now());
    await recordAudit(tx, ctx, 'settings.security', 'settings', { signUpOpen: input.signUpOpen });
    return ok({ signUpOpen: input.signUpOpen });
  });
}
