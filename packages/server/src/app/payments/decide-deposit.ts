import { type DepositStatus, MANUAL_GATEWAY, formatMajor } from '../../domain/deposits.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import { type Deposit, findDeposit, moveDeposit } from '../../store/deposits.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { creditDeposit } from './deposit-money.js';

/**
 * The admin approves a deposit: a manual one still pending, or any held for review. It becomes
 * `paid` and is credited (amount and bonus) in the same transaction; approving twice, or racing,
 * credits once: the others are told the deposit is paid already. Audited.
 */
export async function approveDeposit(ctx: Context, id: number): Promise<Result<Deposit>> {
  return decide(ctx, id, 'paid', null);
}

/** The admin rejects a pending or held deposit, with the reason the customer sees. Audited. */
export async function rejectDeposit(ctx: Context, id: number, reason: string): Promise<Result<Deposit>> {
  const text = reason.trim();
  if (text === '' || text.length > 500)
    return fail({ code: 'INVALID_INPUT', field: 'reason', reason: '1-500 characters' });
  return decide(ctx, id, 'failed', text);
}

async function decide(
  ctx: Context,
  id: number,
  to: 'paid' | 'failed',
  reason: string | null,
): Promise<Result<Deposit>> {
  return ctx.db.transaction(async (tx) => {
    const deposit = await findDeposit(tx, id);
    if (!deposit) return fail<Deposit>({ code: 'DEPOSIT_NOT_FOUND', id });
    // A gateway's pending deposit is settled by its gateway; the admin settles manual ones and reviews.
    const from: DepositStatus[] =
      deposit.gateway === MANUAL_GATEWAY || to === 'failed' ? ['pending', 'review'] : ['review'];
    const now = ctx.clock.now();
    const moved = await moveDeposit(
      tx,
      id,
      { from, to },
      { reason, paidAt: to === 'paid' ? now : null, now },
    );
    if (!moved) {
      const current = (await findDeposit(tx, id))?.status ?? deposit.status;
      return fail<Deposit>({ code: 'DEPOSIT_TRANSITION', id, from: current, to });
    }
    if (to === 'paid') await creditDeposit(tx, ctx, deposit, now);
    await recordAudit(
      tx,
      ctx,
      to === 'paid' ? 'payments.deposit.approve' : 'payments.deposit.reject',
      `deposit:${id}`,
      {
        user: deposit.username,
        amount: formatMajor(deposit.amount),
        bonus: formatMajor(deposit.bonus),
        from: deposit.status,
        reason,
      },
    );
    const updated = await findDeposit(tx, id);
    if (!updated) throw new Error(`deposit ${id} vanished`);
    return ok(updated);
  });
}
