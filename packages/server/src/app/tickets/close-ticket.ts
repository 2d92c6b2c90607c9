import type * as contract from '@smmkit/contract';
import { type Result, fail, ok } from '../../domain/errors.js';
import { ticketStateAfter } from '../../domain/tickets.js';
import { lockTicket, moveTicket } from '../../store/tickets.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { adminTicketView } from './ticket-view.js';

/** Staff close a ticket (closing a closed one changes nothing). Audited. */
export async function closeTicket(ctx: Context, ticketId: number): Promise<Result<contract.AdminTicket>> {
  return ctx.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, ticketId);
    if (ticket === undefined) return fail<contract.AdminTicket>({ code: 'TICKET_NOT_FOUND', id: ticketId });
    const to = ticketStateAfter(ticket.state, 'close');
    if (to !== null) {
      await moveTicket(tx, { id: ticket.id, from: ticket.state, to, now: ctx.clock.now(), unreadFor: null });
      await recordAudit(tx, ctx, 'ticket.close', `ticket:${ticket.id}`, { subject: ticket.subject });
    }
    return ok(await adminTicketView(tx, (await lockTicket(tx, ticket.id))!));
  });
}
