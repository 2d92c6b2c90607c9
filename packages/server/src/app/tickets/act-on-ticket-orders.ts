import type * as contract from '@smmkit/contract';
import { type Result, fail, failureMessage, ok } from '../../domain/errors.js';
import { ticketOrderAction } from '../../domain/tickets.js';
import { findTicket, listTicketOrders } from '../../store/tickets.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { cancelOrders } from '../orders/cancel-orders.js';
import { requestRefills } from '../refills/request-refill.js';

/**
 * The one click of a Refill or Cancel ticket: the existing refill or cancel use case, for the
 * ticket owner's linked orders, under their rules (a provider-backed order's refill or cancel is
 * forwarded to its provider by the worker). Audited as the staff member's action.
 */
export async function actOnTicketOrders(
  ctx: Context,
  ticketId: number,
): Promise<Result<contract.TicketActionResults>> {
  const ticket = await findTicket(ctx.db, ticketId);
  if (ticket === undefined) return fail({ code: 'TICKET_NOT_FOUND', id: ticketId });
  const action = ticketOrderAction(ticket.subject);
  const orders = (await listTicketOrders(ctx.db, ticketId)).map((order) => order.id);
  if (action === null || orders.length === 0) {
    return fail({
      code: 'INVALID_INPUT',
      field: 'ticket',
      reason: 'only Refill and Cancel tickets naming orders offer this',
    });
  }
  const list = orders.join(',');
  let results: contract.TicketActionResults['results'];
  if (action === 'refill') {
    const refills = await requestRefills(ctx, ticket.userId, list);
    if (!refills.ok) return refills;
    results = refills.value.map((entry) => ({
      order: entry.orderId ?? 0,
      ok: entry.refill.ok,
      message: entry.refill.ok
        ? `Refill ${entry.refill.value} requested`
        : failureMessage(entry.refill.failure),
    }));
  } else {
    const cancels = await cancelOrders(ctx, { userId: ticket.userId, orders: list });
    if (!cancels.ok) return cancels;
    results = cancels.value.map((entry) => ({
      order: entry.id ?? 0,
      ok: entry.failure === null,
      message: entry.failure === null ? 'Cancel requested' : failureMessage(entry.failure),
    }));
  }
  await ctx.db.transaction((tx) =>
    recordAudit(tx, ctx, `ticket.${action}`, `ticket:${ticketId}`, { orders, results }),
  );
  return ok({ results });
}
