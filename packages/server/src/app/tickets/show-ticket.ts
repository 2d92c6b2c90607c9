import type * as contract from '@smmkit/contract';
import { type Result, fail, ok } from '../../domain/errors.js';
import { findTicket, markTicketRead } from '../../store/tickets.js';
import type { Context } from '../context.js';
import { adminTicketView, customerTicketView } from './ticket-view.js';

/** A customer opens their ticket (another's is "not found"): its staff messages count as read. */
export async function showCustomerTicket(
  ctx: Context,
  userId: number,
  ticketId: number,
): Promise<Result<contract.CustomerTicket>> {
  const ticket = await findTicket(ctx.db, ticketId);
  if (ticket === undefined || ticket.userId !== userId)
    return fail({ code: 'TICKET_NOT_FOUND', id: ticketId });
  if (ticket.customerUnread > 0) await markTicketRead(ctx.db, ticketId, 'customer');
  return ok(await customerTicketView(ctx.db, { ...ticket, customerUnread: 0 }));
}

/** Staff open a ticket: its customer messages count as read. */
export async function showAdminTicket(ctx: Context, ticketId: number): Promise<Result<contract.AdminTicket>> {
  const ticket = await findTicket(ctx.db, ticketId);
  if (ticket === undefined) return fail({ code: 'TICKET_NOT_FOUND', id: ticketId });
  if (ticket.staffUnread > 0) await markTicketRead(ctx.db, ticketId, 'staff');
  return ok(await adminTicketView(ctx.db, { ...ticket, staffUnread: 0 }));
}
