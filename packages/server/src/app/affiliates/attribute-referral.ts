import {
  type AttributionRefusal,
  MAX_CHAIN,
  attributionRefusal,
  isReferralCode,
  referralFromCookie,
} from '../../domain/affiliates.js';
import { findAffiliateByCode, findReferrerChain, insertReferral } from '../../store/affiliates.js';
import { findAccountById } from '../../store/account-emails.js';
import type { Context } from '../context.js';
import { readAffiliateSettings } from './affiliate-settings.js';

export type Attribution = 'attributed' | 'none' | 'unknown_code' | 'already_referred' | AttributionRefusal;

/** Where a sign-up's referral came from: `"referral"` in the request, else the link's cookie. */
export interface ReferralSource {
  readonly code?: string | undefined;
  readonly cookie?: string | undefined;
}

/**
 * Attributes a newly signed-up customer to the affiliate whose code they came with: the code sent
 * with the sign-up, else the referral cookie while within its life (checked on the panel's clock).
 * An unknown or malformed code, the affiliate themself (or their mailbox), or a referral cycle
 * attributes nothing; it never fails the sign-up.
 */
export async function attributeReferral(
  ctx: Context,
  userId: number,
  source: ReferralSource,
): Promise<Attribution> {
  if (source.code === undefined && source.cookie === undefined) return 'none';
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const settings = await readAffiliateSettings(tx);
    const fromCookie =
      source.cookie === undefined ? null : referralFromCookie(source.cookie, now, settings.cookieDays);
    const code = source.code !== undefined && source.code.trim() !== '' ? source.code.trim() : fromCookie;
    if (code === null) return 'none';
    if (!isReferralCode(code)) return 'unknown_code';
    const affiliate = await findAffiliateByCode(tx, code);
    if (!affiliate) return 'unknown_code';
    const refusal = attributionRefusal(
      { id: affiliate.userId, email: (await findAccountById(tx, affiliate.userId))?.email ?? null },
      { id: userId, email: (await findAccountById(tx, userId))?.email ?? null },
      await findReferrerChain(tx, affiliate.userId, MAX_CHAIN),
    );
    if (refusal !== null) return refusal;
    return (await insertReferral(tx, { userId, affiliateId: affiliate.userId, now }))
      ? 'attributed'
      : 'already_referred';
  });
}
