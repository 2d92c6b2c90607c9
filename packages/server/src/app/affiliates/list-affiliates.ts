import { type Payout, listPayoutsByStatus } from '../../store/affiliate-money.js';
import { type AffiliateListing, listAffiliates as listAffiliateRows } from '../../store/affiliate-stats.js';
import type { Context } from '../context.js';

export const AFFILIATES_PAGE_SIZE = 50;
const PAYOUT_QUEUE = 200;

/** The admin's list of affiliates, highest earners first, a page at a time. */
export async function listAffiliates(
  ctx: Context,
  page: number,
): Promise<{ affiliates: AffiliateListing[]; total: number }> {
  return listAffiliateRows(ctx.db, {
    limit: AFFILIATES_PAGE_SIZE,
    offset: (Math.max(page, 1) - 1) * AFFILIATES_PAGE_SIZE,
  });
}

/** Payout requests waiting to be paid by hand, oldest first. */
export async function listPayoutRequests(ctx: Context): Promise<Payout[]> {
  return listPayoutsByStatus(ctx.db, 'requested', PAYOUT_QUEUE);
}
