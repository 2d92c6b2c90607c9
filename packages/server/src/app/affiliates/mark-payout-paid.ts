import { type Result, fail, ok } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import { type Payout, findPayout, markPayoutPaid } from '../../store/affiliate-money.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

/**
 * The admin paid a payout request by hand (bank transfer, wallet…) and marks it paid: a
 * compare-and-set, so marking twice or racing marks once. Nothing moves on the panel's ledger: the
 * commission left the programme when it was requested. Audited.
 */
export async function markAffiliatePayoutPaid(ctx: Context, id: number): Promise<Result<Payout>> {
  return ctx.db.transaction(async (tx) => {
    const payout = await findPayout(tx, id);
    if (!payout) return fail<Payout>({ code: 'PAYOUT_NOT_FOUND', id });
    const now = ctx.clock.now();
    if (!(await markPayoutPaid(tx, id, now))) return fail<Payout>({ code: 'PAYOUT_ALREADY_PAID', id });
    await recordAudit(tx, ctx, 'affiliates.payout.paid', `affiliate_payout:${id}`, {
      affiliate: payout.affiliateName,
      amount: formatMoney(payout.amount),
    });
    return ok({ ...payout, status: 'paid' as const, paidAt: now });
  });
}
