import type { BrandingAnswer } from '@smmkit/contract';
import { parseHexColour } from '../../domain/brand-colour.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import { deleteSetting, readSettings, upsertSetting } from '../../store/settings.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { readBrandSettings } from './brand-settings.js';
import { PRIMARY_COLOUR_SETTING } from './read-branding.js';

/** The primary colour (`#rrggbb`), or null for the panel's default. Audited with the colour before. */
export async function setPrimaryColour(
  ctx: Context,
  input: { primaryColour: string | null },
): Promise<Result<BrandingAnswer>> {
  const colour = input.primaryColour === null ? null : parseHexColour(input.primaryColour);
  if (input.primaryColour !== null && colour === null)
    return fail({
      code: 'INVALID_INPUT',
      field: 'primary colour',
      reason: 'a colour as #rrggbb, e.g. #2754c5',
    });
  return ctx.db.transaction(async (tx) => {
    const before = (await readSettings(tx)).get(PRIMARY_COLOUR_SETTING) ?? null;
    if (colour === null) await deleteSetting(tx, PRIMARY_COLOUR_SETTING);
    else await upsertSetting(tx, PRIMARY_COLOUR_SETTING, colour, ctx.clock.now());
    if (before !== colour)
      await recordAudit(tx, ctx, 'branding.colour', 'settings', { before, after: colour });
    return ok(await readBrandSettings(ctx, tx));
  });
}
