import { fail, ok } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import { findAuditEntries } from '../../store/audit-log.js';
import { findCancelRequest } from '../../store/cancel-requests.js';
import { findLedgerEntriesForOrder } from '../../store/ledger.js';
import { listChildOrders } from '../../store/order-listing.js';
import { findOrder } from '../../store/orders.js';
import { findRefillsForOrder } from '../../store/refills.js';
import type { Context } from '../context.js';
import { refillRecord } from '../refills/refill-record.js';
import { orderRecord } from './order-record.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Everything the owner needs to judge one order: its money, refills, runs or posts, and history. */
export async function showOrder(ctx: Context, orderId: number) {
  const order = await findOrder(ctx.db, orderId);
  if (!order) return fail({ code: 'ORDER_NOT_FOUND', id: orderId });
  const [ledger, refills, children, cancelRequest, history] = await Promise.all([
    findLedgerEntriesForOrder(ctx.db, orderId),
    findRefillsForOrder(ctx.db, orderId),
    listChildOrders(ctx.db, orderId),
    findCancelRequest(ctx.db, orderId),
    findAuditEntries(ctx.db, `order:${orderId}`),
  ]);
  return ok({
    ...orderRecord(order),
    // A subscription is charged through its posts: what they cost now, as API `status` shows it.
    ...(order.kind === 'subscription'
      ? { childrenCharge: formatMoney(children.reduce((sum, c) => sum + c.charge - c.refunded, 0n)) }
      : {}),
    ledger: ledger.map((entry) => ({
      id: entry.id,
      kind: entry.kind,
      amount: formatMoney(entry.amount),
      entryKey: entry.entryKey,
      memo: entry.memo,
      balanceAfter: formatMoney(entry.balanceAfter),
      createdAt: iso(entry.createdAt),
    })),
    refills: refills.map(refillRecord),
    children: children.map(orderRecord),
    cancelRequest: cancelRequest
      ? {
          status: cancelRequest.status,
          createdAt: iso(cancelRequest.createdAt),
          updatedAt: iso(cancelRequest.updatedAt),
        }
      : null,
    history: history.map((entry) => ({
      at: iso(entry.createdAt),
      actor: entry.actor,
      action: entry.action,
      details: entry.details,
    })),
  });
}
