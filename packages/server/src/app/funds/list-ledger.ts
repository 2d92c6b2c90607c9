import { fail, ok } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import { ledgerOfUser } from '../../store/web-listings.js';
import type { Context } from '../context.js';

export const LEDGER_PAGE_SIZE = 50;

/** A user's balance history, newest first: every ledger entry with the balance after it. */
export async function listLedger(ctx: Context, userId: number, page = 1) {
  if (!Number.isSafeInteger(page) || page < 1 || page > 100_000) {
    return fail({ code: 'INVALID_INPUT', field: 'page', reason: 'a whole number from 1' });
  }
  const { rows, total } = await ledgerOfUser(ctx.db, userId, {
    limit: LEDGER_PAGE_SIZE,
    offset: (page - 1) * LEDGER_PAGE_SIZE,
  });
  return ok({
    entries: rows.map((row) => ({
      id: Number(row.id),
      kind: row.kind,
      amount: formatMoney(row.amount),
      orderId: row.order_id === null ? null : Number(row.order_id),
      memo: row.memo,
      balanceAfter: formatMoney(row.balance_after),
      createdAt: new Date(Number(row.created_at)).toISOString(),
    })),
    total,
    page,
    pageSize: LEDGER_PAGE_SIZE,
  });
}
