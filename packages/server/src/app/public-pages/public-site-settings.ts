import { DEFAULT_LANGUAGE } from '@smmkit/contract/languages';
import { type Result, fail, ok } from '../../domain/errors.js';
import { hasUnsafeCharacters } from '../../domain/text-safety.js';
import { type PublicLanguage, TAGLINE_MAX, isPublicLanguage } from '../../domain/public-site.js';
import { readSettings, upsertSetting } from '../../store/settings.js';
import type { Queryable } from '../../store/database.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

/** What every public page needs from the settings (README › Public pages). */
export interface PublicSiteSettings {
  readonly panelName: string;
  readonly currency: string;
  /** A line under the panel's name on the landing page ('' : none). */
  readonly tagline: string;
  /** The price list is not public: /{lang}/prices answers 404 and leaves the sitemap and the menus. */
  readonly hidePriceList: boolean;
  /**
   * The language of a visitor who names none of ours, and the fallback of every page's text: the
   * panel's `default_language` setting (also on Admin › Settings, app/settings/panel-settings.ts).
   */
  readonly defaultLanguage: PublicLanguage;
}

const DEFAULT_PANEL_NAME = 'smmkit';

export async function readPublicSiteSettings(
  ctx: Context,
  q: Queryable = ctx.db,
): Promise<PublicSiteSettings> {
  const stored = await readSettings(q);
  const language = stored.get('default_language') ?? DEFAULT_LANGUAGE;
  return {
    panelName: stored.get('panel_name') ?? DEFAULT_PANEL_NAME,
    currency: ctx.currency,
    tagline: stored.get('public_tagline') ?? '',
    hidePriceList: stored.get('public_hide_prices') === 'true',
    defaultLanguage: isPublicLanguage(language) ? language : DEFAULT_LANGUAGE,
  };
}

/** Saves the landing page's tagline, whether the price list is public, and the default language. Audited. */
export async function savePublicSiteSettings(
  ctx: Context,
  input: { tagline: string; hidePriceList: boolean; defaultLanguage: string },
): Promise<Result<PublicSiteSettings>> {
  const tagline = input.tagline.trim();
  if (tagline.length > TAGLINE_MAX)
    return fail({ code: 'INVALID_INPUT', field: 'tagline', reason: `at most ${TAGLINE_MAX} characters` });
  if (hasUnsafeCharacters(tagline))
    return fail({ code: 'INVALID_INPUT', field: 'tagline', reason: 'one line of text' });
  if (!isPublicLanguage(input.defaultLanguage))
    return fail({
      code: 'INVALID_INPUT',
      field: 'default language',
      reason: 'not one of the panel languages',
    });
  const language = input.defaultLanguage;
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    await upsertSetting(tx, 'public_tagline', tagline, now);
    await upsertSetting(tx, 'public_hide_prices', input.hidePriceList ? 'true' : 'false', now);
    await upsertSetting(tx, 'default_language', language, now);
    await recordAudit(tx, ctx, 'public-site.settings', 'settings', {
      tagline,
      hidePriceList: input.hidePriceList,
      defaultLanguage: language,
    });
    return ok(await readPublicSiteSettings(ctx, tx));
  });
}
