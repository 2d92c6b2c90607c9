import { depositEntryKeys } from '../../domain/deposits.js';
import type { Queryable } from '../../store/database.js';
import type { Deposit } from '../../store/deposits.js';
import { postLedgerEntry } from '../../store/ledger.js';
import { earnCommission, reverseCommission } from '../affiliates/deposit-commission.js';
import type { Context } from '../context.js';
import { postBalanceChange } from '../funds/post-balance-change.js';
import { notifyDepositPaid } from '../webhooks/notify-deposit-paid.js';

/** The deposit's own reference at its gateway: the gateway's payment id, or for a manual one its id. */
function paymentRef(deposit: Deposit): string {
  return deposit.gatewayPaymentId ?? `deposit-${deposit.id}`;
}

/**
 * Credits a deposit that just became paid: its amount (kind `deposit`) and its bonus (kind
 * `bonus`), in the caller's transaction, each under a key derived from the gateway's payment id;
 * with what a paid deposit causes, in the same transaction: the `deposit.paid` webhook and the
 * referrer's commission. Every path that credits a deposit comes through here.
 */
export async function creditDeposit(
  tx: Queryable,
  ctx: Context,
  deposit: Deposit,
  now: number,
): Promise<void> {
  const keys = depositEntryKeys(deposit.gateway, paymentRef(deposit));
  const memo = `deposit #${deposit.id} (${deposit.methodName})`;
  await postLedgerEntry(tx, {
    userId: deposit.userId,
    amount: deposit.amount,
    kind: 'deposit',
    entryKey: keys.credit,
    orderId: null,
    memo,
    now,
  });
  if (deposit.bonus > 0n) {
    await postLedgerEntry(tx, {
      userId: deposit.userId,
      amount: deposit.bonus,
      kind: 'bonus',
      entryKey: keys.bonus,
      orderId: null,
      memo: `bonus on ${memo}`,
      now,
    });
  }
  await notifyDepositPaid(tx, ctx, deposit);
  await earnCommission(tx, deposit, now);
}

/**
 * Debits what a paid deposit credited (amount and bonus), refunded or disputed at its gateway:
 * `chargeback` entries, which may take the balance below zero (and below the `balance.low` threshold);
 * the referrer's commission on it is reversed in the same transaction.
 */
export async function chargeBackDeposit(
  tx: Queryable,
  ctx: Context,
  deposit: Deposit,
  why: 'refunded' | 'disputed',
  now: number,
): Promise<void> {
  const keys = depositEntryKeys(deposit.gateway, paymentRef(deposit));
  const memo = `deposit #${deposit.id} ${why} at ${deposit.gateway}`;
  await postBalanceChange(tx, ctx, {
    userId: deposit.userId,
    amount: -deposit.amount,
    kind: 'chargeback',
    entryKey: keys.chargeback,
    orderId: null,
    memo,
    now,
  });
  if (deposit.bonus > 0n) {
    await postBalanceChange(tx, ctx, {
      userId: deposit.userId,
      amount: -deposit.bonus,
      kind: 'chargeback',
      entryKey: keys.bonusChargeback,
      orderId: null,
      memo: `bonus of ${memo}`,
      now,
    });
  }
  await reverseCommission(tx, deposit, now);
}
