import { randomUUID } from 'node:crypto';
import { type Result, fail, ok } from '../../domain/errors.js';
import { type Money, formatMoney } from '../../domain/money.js';
import { findUserById, findUserByUsername } from '../../store/users.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { postBalanceChange } from './post-balance-change.js';

/** The user whose balance changes: by username (CLI) or by id (the admin's user list). */
export type FundsRecipient = { readonly username: string } | { readonly userId: number };

/**
 * Credits (or, with a negative amount, debits) a user's balance: one ledger entry and its audit
 * record in one transaction. A debit never takes the balance below zero.
 */
export async function addFunds(
  ctx: Context,
  input: FundsRecipient & { amount: Money; memo?: string | undefined },
): Promise<Result<{ balance: Money }>> {
  if (input.amount === 0n)
    return fail({ code: 'INVALID_INPUT', field: 'amount', reason: 'must not be zero' });
  return ctx.db.transaction(async (tx) => {
    const user =
      'userId' in input ? await findUserById(tx, input.userId) : await findUserByUsername(tx, input.username);
    if (!user) {
      const username = 'userId' in input ? `#${input.userId}` : input.username;
      return fail<{ balance: Money }>({ code: 'USER_NOT_FOUND', username });
    }
    const userId = user.id;
    const kind = input.amount > 0n ? 'deposit' : 'adjustment';
    const posting = await postBalanceChange(tx, ctx, {
      userId,
      amount: input.amount,
      kind,
      entryKey: `${kind}:${randomUUID()}`,
      orderId: null,
      memo: input.memo ?? null,
      now: ctx.clock.now(),
    });
    if (posting.status !== 'posted') {
      return fail<{ balance: Money }>({
        code: 'BALANCE_WOULD_BE_NEGATIVE',
        balance: formatMoney(user.balance),
      });
    }
    await recordAudit(tx, ctx, `funds.${kind}`, `user:${userId}`, {
      amount: formatMoney(input.amount),
      memo: input.memo ?? null,
      balance: formatMoney(posting.balance),
    });
    return ok({ balance: posting.balance });
  });
}
