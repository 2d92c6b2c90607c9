import { isReferralCode, referralCookieValue } from '../../domain/affiliates.js';
import { recordVisit } from '../../store/affiliates.js';
import type { Context } from '../context.js';
import { readAffiliateSettings } from './affiliate-settings.js';

/**
 * A visitor followed `/ref/CODE`: the code's visit is counted and the cookie to set is returned
 * (value and life); null for an unknown or malformed code, which the visitor never notices.
 */
export async function recordReferralVisit(
  ctx: Context,
  code: string,
): Promise<{ cookie: string; maxAgeSeconds: number } | null> {
  if (!isReferralCode(code)) return null;
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    if (!(await recordVisit(tx, code))) return null;
    const settings = await readAffiliateSettings(tx);
    return { cookie: referralCookieValue(code, now), maxAgeSeconds: settings.cookieDays * 24 * 60 * 60 };
  });
}
