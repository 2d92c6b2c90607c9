import type * as contract from '@smmkit/contract';
import { ticketOrderAction } from '../../domain/tickets.js';
import type { Queryable } from '../../store/database.js';
import {
  type Ticket,
  type TicketMessage,
  listTicketMessages,
  listTicketOrders,
} from '../../store/tickets.js';

/** Whose view: the customer who owns the ticket, or staff. */
export type TicketSide = { readonly customer: number } | 'staff';

export function ticketSummary(ticket: Ticket, side: TicketSide): contract.TicketSummary {
  return {
    id: ticket.id,
    username: ticket.username,
    subject: ticket.subject,
    state: ticket.state,
    unread: side === 'staff' ? ticket.staffUnread : ticket.customerUnread,
    createdAt: new Date(ticket.createdAt).toISOString(),
    updatedAt: new Date(ticket.updatedAt).toISOString(),
  };
}

function messageView(message: TicketMessage): contract.TicketMessage {
  return {
    id: message.id,
    fromStaff: message.fromStaff,
    author: message.author,
    message: message.body,
    createdAt: new Date(message.createdAt).toISOString(),
  };
}

/** The customer's view: messages and the ids of the orders the ticket names. */
export async function customerTicketView(q: Queryable, ticket: Ticket): Promise<contract.CustomerTicket> {
  const [messages, orders] = await Promise.all([
    listTicketMessages(q, ticket.id),
    listTicketOrders(q, ticket.id),
  ]);
  return {
    ticket: ticketSummary(ticket, { customer: ticket.userId }),
    messages: messages.map(messageView),
    orders: orders.map((order) => order.id),
  };
}

/** Staff's view: the orders with their provider and provider order id, and the one-click action. */
export async function adminTicketView(q: Queryable, ticket: Ticket): Promise<contract.AdminTicket> {
  const [messages, orders] = await Promise.all([
    listTicketMessages(q, ticket.id),
    listTicketOrders(q, ticket.id),
  ]);
  return {
    ticket: ticketSummary(ticket, 'staff'),
    messages: messages.map(messageView),
    orders: orders.map((order) => ({
      id: order.id,
      status: order.order.status,
      link: order.link,
      quantity: order.quantity,
      service: order.service,
      provider: order.provider,
      providerOrderId: order.providerOrderId,
    })),
    action: orders.length === 0 ? null : ticketOrderAction(ticket.subject),
  };
}
