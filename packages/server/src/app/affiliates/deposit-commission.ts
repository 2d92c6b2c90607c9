import { commissionFor, commissionKeys } from '../../domain/affiliates.js';
import { addToEarned, findAffiliate, findReferrer } from '../../store/affiliates.js';
import { findCommissionByKey, insertCommission } from '../../store/affiliate-money.js';
import type { Queryable } from '../../store/database.js';
import type { Deposit } from '../../store/deposits.js';
import { readAffiliateSettings } from './affiliate-settings.js';

/**
 * The referrer's commission on a deposit that just became paid, in the caller's transaction (the
 * one that credits it): the affiliate's rate (their override, else the panel's) of the credited
 * amount, without the bonus and without any fee the customer paid on top, rounded down. Posted
 * under the deposit's unique key, so however the credit is retried it is earned once.
 */
export async function earnCommission(tx: Queryable, deposit: Deposit, now: number): Promise<void> {
  const affiliateId = await findReferrer(tx, deposit.userId);
  if (affiliateId === null || affiliateId === deposit.userId) return;
  const affiliate = await findAffiliate(tx, affiliateId);
  if (!affiliate) return;
  const rateBps = affiliate.commissionBps ?? (await readAffiliateSettings(tx)).commissionBps;
  const amount = commissionFor(deposit.amount, rateBps);
  if (amount === 0n) return;
  const posted = await insertCommission(tx, {
    affiliateId,
    customerId: deposit.userId,
    depositId: deposit.id,
    kind: 'earned',
    base: deposit.amount,
    rateBps,
    amount,
    entryKey: commissionKeys(deposit.id).earned,
    now,
  });
  if (posted) await addToEarned(tx, affiliateId, amount);
}

/**
 * A paid deposit refunded or disputed: the commission it earned is reversed by a negative entry
 * (under its own unique key), in the chargeback's transaction. Nothing earned, nothing reversed.
 */
export async function reverseCommission(tx: Queryable, deposit: Deposit, now: number): Promise<void> {
  const keys = commissionKeys(deposit.id);
  const earned = await findCommissionByKey(tx, keys.earned);
  if (!earned) return;
  const posted = await insertCommission(tx, {
    affiliateId: earned.affiliateId,
    customerId: earned.customerId,
    depositId: deposit.id,
    kind: 'reversed',
    base: earned.base,
    rateBps: earned.rateBps,
    amount: -earned.amount,
    entryKey: keys.reversed,
    now,
  });
  if (posted) await addToEarned(tx, earned.affiliateId, -earned.amount);
}
