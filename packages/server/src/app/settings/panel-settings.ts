import { DEFAULT_LANGUAGE, type Language, isLanguage } from '@smmkit/contract/languages';
import { type Result, fail, ok } from '../../domain/errors.js';
import { readSettings, upsertSetting } from '../../store/settings.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import type { Queryable } from '../../store/database.js';
import type { BrandPalette } from '../../domain/brand-colour.js';
import { brandImageUrl, readBranding } from '../branding/read-branding.js';

export interface PanelSettings {
  readonly panelName: string;
  /** The currency money is in, on the web panel and in API v2 alike: SMMKIT_CURRENCY, read-only. */
  readonly currency: string;
  /** The language pages and emails are in when neither the user nor their browser picks one. */
  readonly defaultLanguage: Language;
  /** The admin's primary colour, or null (the default palette is in `colours`). */
  readonly primaryColour: string | null;
  readonly colours: BrandPalette;
  /** Root-relative versioned URLs of the uploaded images, or null. */
  readonly logoUrl: string | null;
  readonly faviconUrl: string | null;
}

/** The panel's default language (stored, else English), read in the caller's transaction. */
export async function readDefaultLanguage(q: Queryable): Promise<Language> {
  return defaultLanguageOf(await readSettings(q));
}

function defaultLanguageOf(stored: Map<string, string>): Language {
  const value = stored.get('default_language');
  return isLanguage(value) ? value : DEFAULT_LANGUAGE;
}

/**
 * The panel's name (stored, else the default), its currency and its branding. The currency is ONE setting,
 * SMMKIT_CURRENCY, read by API v2 and the web panel alike, so the two can never disagree; a
 * `currency` row stored by an older version is ignored.
 */
export async function readPanelSettings(ctx: Context, q: Queryable = ctx.db): Promise<PanelSettings> {
  const settings = await readSettings(q);
  const branding = await readBranding(q, settings);
  return {
    panelName: branding.panelName,
    currency: ctx.currency,
    defaultLanguage: defaultLanguageOf(settings),
    primaryColour: branding.primaryColour,
    colours: branding.colours,
    logoUrl: branding.logo === null ? null : brandImageUrl(branding.logo),
    faviconUrl: branding.favicon === null ? null : brandImageUrl(branding.favicon),
  };
}

/**
 * Saves the panel's name and, if sent, its default language. A currency, if sent, must be the panel's
 * own (it is not changed here).
 */
export async function updatePanelSettings(
  ctx: Context,
  input: { panelName: string; currency?: string | undefined; defaultLanguage?: string | undefined },
): Promise<Result<PanelSettings>> {
  const panelName = input.panelName.trim();
  if (panelName === '' || panelName.length > 60)
    return fail({ code: 'INVALID_INPUT', field: 'panel name', reason: '1-60 characters' });
  if (input.currency !== undefined && input.currency.trim().toUpperCase() !== ctx.currency) {
    return fail({
      code: 'INVALID_INPUT',
      field: 'currency',
      reason: `set by SMMKIT_CURRENCY (${ctx.currency}), the same for the web panel and API v2`,
    });
  }
  if (input.defaultLanguage !== undefined && !isLanguage(input.defaultLanguage))
    return fail({ code: 'INVALID_INPUT', field: 'default language', reason: 'not one the panel speaks' });
  const chosenLanguage = input.defaultLanguage;
  return ctx.db.transaction(async (tx) => {
    await upsertSetting(tx, 'panel_name', panelName, ctx.clock.now());
    if (chosenLanguage !== undefined)
      await upsertSetting(tx, 'default_language', chosenLanguage, ctx.clock.now());
    const defaultLanguage = chosenLanguage ?? (await readDefaultLanguage(tx));
    await recordAudit(tx, ctx, 'settings.update', 'settings', { panelName, defaultLanguage });
    return ok(await readPanelSettings(ctx, tx));
  });
}
