import { formatMoney } from '../../domain/money.js';
import type { Queryable } from '../../store/database.js';
import type { Context } from '../context.js';
import { enqueueWebhookEvent } from './enqueue-webhook-event.js';

/**
 * `balance.low`: the balance (as API v2's `balance` answers it) just went below the customer's
 * threshold, written in the transaction of the ledger entry that took it there.
 */
export async function notifyBalanceLow(
  tx: Queryable,
  ctx: Context,
  change: { userId: number; balance: bigint; threshold: bigint; entryKey: string },
): Promise<void> {
  await enqueueWebhookEvent(tx, ctx, { userId: change.userId, type: 'balance.low' }, () =>
    Promise.resolve({
      balance: formatMoney(change.balance),
      threshold: formatMoney(change.threshold),
      currency: ctx.currency,
      entry: change.entryKey,
    }),
  );
}
