import { paymentMismatch } from '../../domain/deposits.js';
import type { GatewayEvent } from '../../payments/gateway.js';
import type { Queryable } from '../../store/database.js';
import {
  type Deposit,
  findDeposit,
  findDepositByPayment,
  moveDeposit,
  setDepositPayment,
} from '../../store/deposits.js';
import type { Context } from '../context.js';
import { chargeBackDeposit, creditDeposit } from './deposit-money.js';

/** What a notification did: for the log and the tests; the gateway is answered 200 whatever it did. */
export type EventOutcome =
  | 'credited'
  | 'review'
  | 'failed'
  | 'expired'
  | 'charged_back'
  | 'refunded_unpaid'
  | 'unchanged'
  | 'unknown_deposit'
  | 'ignored';

/** The deposit an event is about: by the gateway's payment id, else by the deposit id it carries. */
async function depositOf(
  tx: Queryable,
  gateway: string,
  methodId: number,
  event: Exclude<GatewayEvent, { kind: 'ignored' }>,
  now: number,
): Promise<Deposit | undefined> {
  const byPayment = await findDepositByPayment(tx, gateway, event.paymentId);
  if (byPayment) return byPayment.methodId === methodId ? byPayment : undefined;
  const depositId = 'depositId' in event ? event.depositId : null;
  if (depositId === null) return undefined;
  const deposit = await findDeposit(tx, depositId);
  if (!deposit || deposit.methodId !== methodId || deposit.gatewayPaymentId !== null) return undefined;
  // The notification overtook the answer that starts the payment: record the payment id now.
  if (!(await setDepositPayment(tx, deposit.id, { paymentId: event.paymentId, redirectUrl: null }, now)))
    return undefined;
  return { ...deposit, gatewayPaymentId: event.paymentId };
}

/**
 * Applies one verified notification of a method's gateway, in one transaction: the deposit's move
 * (a compare-and-set: of 64 copies of one notification, one wins) and the money it implies.
 * - paid, as expected → `paid`, the amount and bonus credited; not as expected → `review`, nothing
 *   credited; paid (as expected or not) after it expired or failed → `review` (the admin decides,
 *   nothing is lost).
 * - failed / expired → the pending deposit fails or expires.
 * - refunded / disputed → a paid deposit is debited (chargeback, possibly below zero); one not yet
 *   paid becomes final with nothing credited, so the `paid` that arrives later changes nothing.
 */
export async function applyGatewayEvent(
  ctx: Context,
  method: { id: number; gateway: string },
  event: GatewayEvent,
): Promise<EventOutcome> {
  if (event.kind === 'ignored') return 'ignored';
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const deposit = await depositOf(tx, method.gateway, method.id, event, now);
    if (!deposit) return 'unknown_deposit';
    const move = (
      from: Deposit['status'][],
      to: Deposit['status'],
      reason: string | null,
      paidAt: number | null = null,
    ) => moveDeposit(tx, deposit.id, { from, to }, { reason, paidAt, now });
    switch (event.kind) {
      case 'paid': {
        const mismatch = paymentMismatch(deposit, event);
        const late = 'paid after it had expired or failed';
        if (mismatch !== null) {
          if (await move(['pending'], 'review', mismatch)) return 'review';
          // Money arrived, wrong and late: still held for the admin, never dropped.
          return (await move(['expired', 'failed'], 'review', `${mismatch}; ${late}`))
            ? 'review'
            : 'unchanged';
        }
        if (await move(['pending'], 'paid', null, now)) {
          await creditDeposit(tx, ctx, deposit, now);
          return 'credited';
        }
        return (await move(['expired', 'failed'], 'review', late)) ? 'review' : 'unchanged';
      }
      case 'failed':
      case 'expired': {
        const reason =
          event.kind === 'failed' ? 'the gateway says the payment failed' : 'expired at the gateway';
        return (await move(['pending'], event.kind, reason)) ? event.kind : 'unchanged';
      }
      case 'refunded':
      case 'disputed': {
        const reason = `${event.kind} at the gateway (${event.amount} ${event.currency})`;
        if (await move(['paid'], event.kind, reason)) {
          await chargeBackDeposit(tx, ctx, deposit, event.kind, now);
          return 'charged_back';
        }
        const early = `${reason} before it was credited`;
        return (await move(['pending', 'review'], event.kind, early)) ? 'refunded_unpaid' : 'unchanged';
      }
    }
  });
}
