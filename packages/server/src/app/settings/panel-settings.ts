import { type Result, fail, ok } from '../../domain/errors.js';
import { readSettings, upsertSetting } from '../../store/settings.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import type { Queryable } from '../../store/database.js';

export interface PanelSettings {
  readonly panelName: string;
  /** The currency code the web panel shows money in. */
  readonly currency: string;
}

const DEFAULT_PANEL_NAME = 'smmkit';

/** The panel's name, read in the caller's transaction (emails are written in the panel's name). */
export async function readPanelName(q: Queryable): Promise<string> {
  return (await readSettings(q)).get('panel_name') ?? DEFAULT_PANEL_NAME;
}

/** The panel's name and currency: stored settings, else the defaults (the currency from SMMKIT_CURRENCY). */
export async function readPanelSettings(ctx: Context): Promise<PanelSettings> {
  const stored = await readSettings(ctx.db);
  return {
    panelName: stored.get('panel_name') ?? DEFAULT_PANEL_NAME,
    currency: stored.get('currency') ?? ctx.currency,
  };
}

export async function updatePanelSettings(
  ctx: Context,
  input: { panelName: string; currency: string },
): Promise<Result<PanelSettings>> {
  const panelName = input.panelName.trim();
  const currency = input.currency.trim().toUpperCase();
  if (panelName === '' || panelName.length > 60)
    return fail({ code: 'INVALID_INPUT', field: 'panel name', reason: '1-60 characters' });
  if (!/^[A-Z]{3}$/.test(currency)) {
    return fail({ code: 'INVALID_INPUT', field: 'currency', reason: 'a three-letter code such as USD' });
  }
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    await upsertSetting(tx, 'panel_name', panelName, now);
    await upsertSetting(tx, 'currency', currency, now);
    await recordAudit(tx, ctx, 'settings.update', 'settings', { panelName, currency });
    return ok({ panelName, currency });
  });
}
