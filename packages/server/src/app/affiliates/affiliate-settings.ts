import {
  type AffiliateSettings,
  DEFAULT_AFFILIATE_SETTINGS,
  MAX_COOKIE_DAYS,
  parseMinimumPayout,
} from '../../domain/affiliates.js';
import { formatPercent, parsePercent } from '../../domain/deposits.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import type { Queryable } from '../../store/database.js';
import { readSettings, upsertSetting } from '../../store/settings.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

const COMMISSION = 'affiliate_commission_bps';
const COOKIE_DAYS = 'affiliate_cookie_days';
const MINIMUM_PAYOUT = 'affiliate_minimum_payout';
const MANUAL_PAYOUTS = 'affiliate_manual_payouts';

function storedInteger(text: string | undefined, fallback: number, max: number): number {
  if (text === undefined || !/^\d{1,6}$/.test(text)) return fallback;
  const value = Number(text);
  return value <= max ? value : fallback;
}

/** The programme's settings as stored, each else its default (read in the caller's transaction). */
export async function readAffiliateSettings(q: Queryable): Promise<AffiliateSettings> {
  const stored = await readSettings(q);
  const minimum = stored.get(MINIMUM_PAYOUT);
  return {
    commissionBps: storedInteger(stored.get(COMMISSION), DEFAULT_AFFILIATE_SETTINGS.commissionBps, 10_000),
    cookieDays: Math.max(
      1,
      storedInteger(stored.get(COOKIE_DAYS), DEFAULT_AFFILIATE_SETTINGS.cookieDays, MAX_COOKIE_DAYS),
    ),
    minimumPayout:
      (minimum === undefined ? null : parseMinimumPayout(minimum)) ??
      DEFAULT_AFFILIATE_SETTINGS.minimumPayout,
    manualPayouts: stored.get(MANUAL_PAYOUTS) === 'true',
  };
}

/** The settings as the admin types them: a percent, whole days, money, a flag. */
export interface AffiliateSettingsInput {
  readonly commissionPercent: string;
  readonly cookieDays: number;
  readonly minimumPayout: string;
  readonly manualPayouts: boolean;
}

export async function updateAffiliateSettings(
  ctx: Context,
  input: AffiliateSettingsInput,
): Promise<Result<AffiliateSettings>> {
  const percent = parsePercent(input.commissionPercent);
  if (!percent.ok)
    return fail({ code: 'INVALID_INPUT', field: 'commission percent', reason: percent.reason });
  if (!Number.isInteger(input.cookieDays) || input.cookieDays < 1 || input.cookieDays > MAX_COOKIE_DAYS)
    return fail({
      code: 'INVALID_INPUT',
      field: 'cookie days',
      reason: `whole days from 1 to ${MAX_COOKIE_DAYS}`,
    });
  const minimum = parseMinimumPayout(input.minimumPayout);
  if (minimum === null)
    return fail({
      code: 'INVALID_INPUT',
      field: 'minimum payout',
      reason: 'an amount of zero or more, e.g. 10.00',
    });
  const settings: AffiliateSettings = {
    commissionBps: percent.value,
    cookieDays: input.cookieDays,
    minimumPayout: minimum,
    manualPayouts: input.manualPayouts,
  };
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    await upsertSetting(tx, COMMISSION, String(settings.commissionBps), now);
    await upsertSetting(tx, COOKIE_DAYS, String(settings.cookieDays), now);
    await upsertSetting(tx, MINIMUM_PAYOUT, formatMoney(settings.minimumPayout), now);
    await upsertSetting(tx, MANUAL_PAYOUTS, String(settings.manualPayouts), now);
    await recordAudit(tx, ctx, 'settings.affiliates', 'settings', {
      commissionPercent: formatPercent(settings.commissionBps),
      cookieDays: settings.cookieDays,
      minimumPayout: formatMoney(settings.minimumPayout),
      manualPayouts: settings.manualPayouts,
    });
    return ok(settings);
  });
}
