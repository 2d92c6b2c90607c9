import { type AffiliateSettings, conversionBps, payoutRefusal } from '../../domain/affiliates.js';
import type { Affiliate } from '../../store/affiliates.js';
import {
  type Commission,
  type Payout,
  listCommissions,
  listPayoutsOfAffiliate,
  sumPaidOut,
} from '../../store/affiliate-money.js';
import { type ReferralCounts, countReferrals } from '../../store/affiliate-stats.js';
import type { Context } from '../context.js';
import { readAffiliateSettings } from './affiliate-settings.js';
import { ensureAffiliate } from './ensure-affiliate.js';

const RECENT = 50;

/** The customer's Affiliates page: their code, what it brought, what they earned and were paid. */
export interface AffiliateView extends ReferralCounts {
  readonly affiliate: Affiliate;
  readonly settings: AffiliateSettings;
  /** The rate that applies to their referrals' next deposits. */
  readonly commissionBps: number;
  readonly conversionBps: number;
  /** Earned, net of reversals, not yet withdrawn: pending until it reaches the minimum payout. */
  readonly pending: bigint;
  /** Payouts by hand requested and not yet marked paid. */
  readonly requested: bigint;
  readonly paidOut: bigint;
  readonly canRequestPayout: boolean;
  readonly commissions: readonly Commission[];
  readonly payouts: readonly Payout[];
}

export async function showAffiliate(ctx: Context, userId: number): Promise<AffiliateView> {
  return ctx.db.transaction(async (tx) => {
    const affiliate = await ensureAffiliate(tx, userId, ctx.clock.now());
    const settings = await readAffiliateSettings(tx);
    const counts = await countReferrals(tx, userId);
    const paidOut = await sumPaidOut(tx, userId);
    const pending = affiliate.earned - affiliate.withdrawn;
    return {
      ...counts,
      affiliate,
      settings,
      commissionBps: affiliate.commissionBps ?? settings.commissionBps,
      conversionBps: conversionBps(counts.signups, counts.payingCustomers),
      pending,
      requested: affiliate.withdrawn - paidOut,
      paidOut,
      canRequestPayout: payoutRefusal(pending, 'balance', settings) === null,
      commissions: await listCommissions(tx, userId, RECENT),
      payouts: await listPayoutsOfAffiliate(tx, userId, RECENT),
    };
  });
}
