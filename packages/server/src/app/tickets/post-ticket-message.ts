import type * as contract from '@smmkit/contract';
import { type Result, fail, ok } from '../../domain/errors.js';
import { ticketStateAfter } from '../../domain/tickets.js';
import { findAccountById } from '../../store/account-emails.js';
import type { Queryable } from '../../store/database.js';
import {
  type Ticket,
  insertTicketMessage,
  lockTicket,
  markTicketRead,
  moveTicket,
} from '../../store/tickets.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { publicLink, queueEmail } from '../email/queue-email.js';
import { readTicketMessage } from './ticket-message.js';
import { adminTicketView, customerTicketView } from './ticket-view.js';

async function addMessage(
  tx: Queryable,
  ctx: Context,
  ticket: Ticket,
  message: { authorId: number; fromStaff: boolean; body: string },
): Promise<void> {
  const to = ticketStateAfter(ticket.state, message.fromStaff ? 'staffMessage' : 'customerMessage')!;
  const now = ctx.clock.now();
  // The ticket is locked (PostgreSQL) or the writer is ours (SQLite): the compare-and-set holds.
  const moved = await moveTicket(tx, {
    id: ticket.id,
    from: ticket.state,
    to,
    now,
    unreadFor: message.fromStaff ? 'customer' : 'staff',
  });
  if (!moved) throw new Error(`ticket ${ticket.id} changed under its lock`);
  await insertTicketMessage(tx, { ticketId: ticket.id, ...message, now });
}

/** The customer writes on their ticket (reopening it when closed). */
export async function replyAsCustomer(
  ctx: Context,
  input: { userId: number; ticketId: number; message: string },
): Promise<Result<contract.CustomerTicket>> {
  const message = readTicketMessage(input.message);
  if (!message.ok) return fail(message.failure);
  return ctx.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, input.ticketId);
    if (ticket === undefined || ticket.userId !== input.userId) {
      return fail<contract.CustomerTicket>({ code: 'TICKET_NOT_FOUND', id: input.ticketId });
    }
    await addMessage(tx, ctx, ticket, { authorId: input.userId, fromStaff: false, body: message.body });
    await markTicketRead(tx, ticket.id, 'customer');
    return ok(await customerTicketView(tx, (await lockTicket(tx, ticket.id))!));
  });
}

/** Staff answer a ticket; the customer is emailed (when they have an address). Audited. */
export async function answerAsStaff(
  ctx: Context,
  input: { staffId: number; ticketId: number; message: string },
): Promise<Result<contract.AdminTicket>> {
  const message = readTicketMessage(input.message);
  if (!message.ok) return fail(message.failure);
  return ctx.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, input.ticketId);
    if (ticket === undefined)
      return fail<contract.AdminTicket>({ code: 'TICKET_NOT_FOUND', id: input.ticketId });
    await addMessage(tx, ctx, ticket, { authorId: input.staffId, fromStaff: true, body: message.body });
    await markTicketRead(tx, ticket.id, 'staff');
    const customer = await findAccountById(tx, ticket.userId);
    if (customer?.email != null) {
      await queueEmail(
        tx,
        ctx,
        customer.email,
        {
          kind: 'ticket-reply',
          ticketId: ticket.id,
          message: message.body,
          link: publicLink(ctx, `/tickets/${ticket.id}`),
        },
        { userId: ticket.userId },
      );
    }
    await recordAudit(tx, ctx, 'ticket.answer', `ticket:${ticket.id}`, { subject: ticket.subject });
    return ok(await adminTicketView(tx, (await lockTicket(tx, ticket.id))!));
  });
}
