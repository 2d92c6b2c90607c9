import type * as contract from '@smmkit/contract';
import { type TicketState, type TicketSubject } from '../../domain/tickets.js';
import { countUnread, listTickets as storeList } from '../../store/tickets.js';
import type { Context } from '../context.js';
import type { Keyset } from '../keyset.js';
import { type TicketSide, ticketSummary } from './ticket-view.js';

const PAGE_SIZE = 50;

/** A customer's tickets, or every ticket for staff (filtered by state and subject), with unread counts. */
export async function listTickets(
  ctx: Context,
  side: TicketSide,
  filter: {
    page?: number | undefined;
    state?: TicketState | undefined;
    subject?: TicketSubject | undefined;
    /** A keyset page, newest ticket first (the admin API); else the web's page by latest activity. */
    keyset?: Keyset | undefined;
  },
): Promise<contract.TicketList> {
  const page = filter.page ?? 1;
  const tickets = await storeList(ctx.db, {
    ...(side === 'staff' ? {} : { userId: side.customer }),
    ...(filter.state === undefined ? {} : { state: filter.state }),
    ...(filter.subject === undefined ? {} : { subject: filter.subject }),
    ...(filter.keyset === undefined
      ? { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }
      : { keyset: { beforeId: filter.keyset.beforeId }, limit: filter.keyset.limit, offset: 0 }),
  });
  return {
    tickets: tickets.map((ticket) => ticketSummary(ticket, side)),
    unread: await countUnread(ctx.db, side),
  };
}
