import { formatMoney } from '../../domain/money.js';
import type { Queryable } from '../../store/database.js';
import type { Deposit } from '../../store/deposits.js';
import type { Context } from '../context.js';
import { enqueueWebhookEvent } from './enqueue-webhook-event.js';

/**
 * `deposit.paid`, in the transaction that credits the deposit: what was credited (amount and
 * bonus, in API v2's money format), the method and the currency.
 */
export async function notifyDepositPaid(
  tx: Queryable,
  ctx: Context,
  deposit: Pick<Deposit, 'id' | 'userId' | 'amount' | 'bonus' | 'methodName'>,
): Promise<void> {
  await enqueueWebhookEvent(tx, ctx, { userId: deposit.userId, type: 'deposit.paid' }, () =>
    Promise.resolve({
      deposit: deposit.id,
      amount: formatMoney(deposit.amount),
      bonus: formatMoney(deposit.bonus),
      method: deposit.methodName,
      currency: ctx.currency,
    }),
  );
}
