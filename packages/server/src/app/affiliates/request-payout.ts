import { type PayoutMethod, payoutKey, payoutRefusal } from '../../domain/affiliates.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import { findAffiliate, withdraw } from '../../store/affiliates.js';
import { type Payout, findPayout, insertPayout } from '../../store/affiliate-money.js';
import { postLedgerEntry } from '../../store/ledger.js';
import type { Context } from '../context.js';
import { readAffiliateSettings } from './affiliate-settings.js';

export type { Payout };

/**
 * The affiliate asks for their available commission (all of it, once it reaches the minimum): to
 * their balance, an `affiliate_payout` ledger entry posted at once, or by hand if the panel allows
 * it (the admin marks it paid). One transaction: a compare-and-set on the withdrawn total, then the
 * payout row and its ledger entry under the same unique key. Of many racing requests one is paid;
 * the others find nothing left.
 */
export async function requestPayout(
  ctx: Context,
  input: { userId: number; method: PayoutMethod },
): Promise<Result<Payout>> {
  return ctx.db.transaction(async (tx) => {
    const settings = await readAffiliateSettings(tx);
    const affiliate = await findAffiliate(tx, input.userId);
    const available = affiliate ? affiliate.earned - affiliate.withdrawn : 0n;
    const unavailable = (amount: bigint) =>
      fail<Payout>({
        code: 'PAYOUT_UNAVAILABLE',
        available: formatMoney(amount > 0n ? amount : 0n),
        minimum: formatMoney(settings.minimumPayout),
      });
    const refusal = payoutRefusal(available, input.method, settings);
    if (refusal?.kind === 'manual_not_allowed') return fail<Payout>({ code: 'MANUAL_PAYOUT_DISABLED' });
    if (refusal !== null || !affiliate) return unavailable(available);
    if (!(await withdraw(tx, affiliate.userId, available, affiliate.withdrawn))) {
      // Another request withdrew first: what is left now.
      const now = await findAffiliate(tx, affiliate.userId);
      return unavailable(now ? now.earned - now.withdrawn : 0n);
    }
    const key = payoutKey(affiliate.userId, affiliate.withdrawn);
    const now = ctx.clock.now();
    const id = await insertPayout(tx, {
      affiliateId: affiliate.userId,
      amount: available,
      method: input.method,
      status: input.method === 'balance' ? 'paid' : 'requested',
      payoutKey: key,
      now,
    });
    if (input.method === 'balance') {
      const posting = await postLedgerEntry(tx, {
        userId: affiliate.userId,
        amount: available,
        kind: 'affiliate_payout',
        entryKey: key,
        orderId: null,
        memo: `affiliate commission payout #${id}`,
        now,
      });
      // The withdrawal above is unique to this key: a posting that is not new is a fault.
      if (posting.status !== 'posted') throw new Error(`affiliate payout ${key}: ${posting.status}`);
    }
    const payout = await findPayout(tx, id);
    if (!payout) throw new Error(`affiliate payout ${id} vanished`);
    return ok(payout);
  });
}
