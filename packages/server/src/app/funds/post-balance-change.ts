import { crossesBelowThreshold } from '../../domain/webhooks.js';
import type { Queryable } from '../../store/database.js';
import { type LedgerPosting, type NewLedgerEntry, postLedgerEntry } from '../../store/ledger.js';
import type { Context } from '../context.js';
import { notifyBalanceLow } from '../webhooks/notify-balance-low.js';

/**
 * A debit of a customer's balance (a charge, a deduction, a chargeback): the ledger entry, and
 * `balance.low` in the same transaction when it takes the balance from at-or-above the customer's
 * threshold to below it. The threshold comes back with the balance update, so a customer without
 * one costs nothing more. Credits post with `postLedgerEntry` directly: they never cross downwards.
 */
export async function postBalanceChange(
  tx: Queryable,
  ctx: Context,
  entry: NewLedgerEntry,
): Promise<LedgerPosting> {
  const posting = await postLedgerEntry(tx, entry);
  if (posting.status !== 'posted') return posting;
  const threshold = posting.lowBalanceThreshold;
  if (
    threshold !== null &&
    crossesBelowThreshold(threshold, posting.balance - entry.amount, posting.balance)
  ) {
    await notifyBalanceLow(tx, ctx, {
      userId: entry.userId,
      balance: posting.balance,
      threshold,
      entryKey: entry.entryKey,
    });
  }
  return posting;
}
