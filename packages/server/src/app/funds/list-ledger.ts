import { fail, ok } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import { listLedgerOfUser } from '../../store/ledger.js';
import type { Context } from '../context.js';

export const LEDGER_PAGE_SIZE = 50;

/** A user's balance history, newest first: every ledger entry with the balance after it. */
export async function listLedger(ctx: Context, userId: number, page = 1) {
  if (!Number.isSafeInteger(page) || page < 1 || page > 100_000) {
    return fail({ code: 'INVALID_INPUT', field: 'page', reason: 'a whole number from 1' });
  }
  const { entries, total } = await listLedgerOfUser(ctx.db, userId, {
    limit: LEDGER_PAGE_SIZE,
    offset: (page - 1) * LEDGER_PAGE_SIZE,
  });
  return ok({
    entries: entries.map((entry) => ({
      id: entry.id,
      kind: entry.kind,
      amount: formatMoney(entry.amount),
      orderId: entry.orderId,
      memo: entry.memo,
      balanceAfter: formatMoney(entry.balanceAfter),
      createdAt: new Date(entry.createdAt).toISOString(),
    })),
    total,
    page,
    pageSize: LEDGER_PAGE_SIZE,
  });
}
