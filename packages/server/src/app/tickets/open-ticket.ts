import { parseIdList } from '../../domain/id-list.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import { isTicketSubject } from '../../domain/tickets.js';
import { findAccountById } from '../../store/account-emails.js';
import { findOwnedOrderIds, insertTicket, insertTicketMessage } from '../../store/tickets.js';
import type { Context } from '../context.js';
import { publicLink, queueEmail } from '../email/queue-email.js';
import { readTicketMessage } from './ticket-message.js';

/**
 * A customer opens a ticket: a subject from the list, a message, and optionally their own order ids
 * ("12,15"). An id that is not theirs is refused exactly as one that does not exist. The admin
 * address (SMMKIT_ADMIN_EMAIL) is told, in the same transaction.
 */
export async function openTicket(
  ctx: Context,
  input: { userId: number; subject: string; message: string; orders?: string | undefined },
): Promise<Result<{ id: number }>> {
  if (!isTicketSubject(input.subject)) {
    return fail({
      code: 'INVALID_INPUT',
      field: 'subject',
      reason: 'Order, Refill, Cancel, Speed-up, Payment, API or Other',
    });
  }
  const subject = input.subject;
  const message = readTicketMessage(input.message);
  if (!message.ok) return fail(message.failure);
  let orderIds: number[] = [];
  if (input.orders !== undefined && input.orders.trim() !== '') {
    const list = parseIdList(input.orders);
    if (!list.ok) return list;
    if (list.value.some((entry) => entry.id === null)) return fail({ code: 'INCORRECT_ORDER_ID' });
    orderIds = [...new Set(list.value.map((entry) => entry.id!))];
  }
  return ctx.db.transaction(async (tx) => {
    const owned = await findOwnedOrderIds(tx, input.userId, orderIds);
    if (owned.length !== orderIds.length) return fail<{ id: number }>({ code: 'INCORRECT_ORDER_ID' });
    const now = ctx.clock.now();
    const id = await insertTicket(tx, { userId: input.userId, subject, orderIds, now });
    await insertTicketMessage(tx, {
      ticketId: id,
      authorId: input.userId,
      fromStaff: false,
      body: message.body,
      now,
    });
    const adminEmail = ctx.mail?.adminEmail ?? null;
    if (adminEmail !== null) {
      const account = await findAccountById(tx, input.userId);
      await queueEmail(tx, ctx, adminEmail, {
        kind: 'new-ticket',
        ticketId: id,
        subject,
        username: account?.username ?? `#${input.userId}`,
        message: message.body,
        link: publicLink(ctx, `/admin/tickets/${id}`),
      });
    }
    return ok({ id });
  });
}
