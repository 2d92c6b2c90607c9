import { type KindAndStatus, readKindAndStatus } from '../domain/order-status.js';
import {
  type TicketState,
  type TicketSubject,
  readTicketState,
  readTicketSubject,
} from '../domain/tickets.js';
import { isSet } from './column-values.js';
import { type Queryable, type SqlValue, dynamicSql, idArray, sql, sqlByDialect } from './database.js';

export interface Ticket {
  readonly id: number;
  readonly userId: number;
  readonly username: string;
  readonly subject: TicketSubject;
  readonly state: TicketState;
  /** Staff messages the customer has not opened yet. */
  readonly customerUnread: number;
  /** Customer messages staff have not opened yet. */
  readonly staffUnread: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface TicketRow {
  id: bigint;
  user_id: bigint;
  username: string;
  subject: string;
  state: string;
  customer_unread: bigint;
  staff_unread: bigint;
  created_at: bigint;
  updated_at: bigint;
}

function toTicket(row: TicketRow): Ticket {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    username: row.username,
    subject: readTicketSubject(row.subject),
    state: readTicketState(row.state),
    customerUnread: Number(row.customer_unread),
    staffUnread: Number(row.staff_unread),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const TICKET_COLUMNS = `t.id, t.user_id, u.username, t.subject, t.state, t.customer_unread, t.staff_unread,
  t.created_at, t.updated_at`;

const insertTicketSql = sql(
  // The customer's first message is unread by staff.
  `INSERT INTO tickets (user_id, subject, state, staff_unread, created_at, updated_at) VALUES (?, ?, 'open', 1, ?, ?) RETURNING id`,
);
const insertTicketOrderSql = sql('INSERT INTO ticket_orders (ticket_id, order_id) VALUES (?, ?)');
const insertMessageSql = sql(
  'INSERT INTO ticket_messages (ticket_id, author_id, from_staff, body, created_at) VALUES (?, ?, ?, ?, ?)',
);

export async function insertTicket(
  q: Queryable,
  ticket: { userId: number; subject: TicketSubject; orderIds: readonly number[]; now: number },
): Promise<number> {
  const row = await q.get<{ id: bigint }>(insertTicketSql, [
    ticket.userId,
    ticket.subject,
    ticket.now,
    ticket.now,
  ]);
  const id = Number(row!.id);
  for (const orderId of ticket.orderIds) await q.run(insertTicketOrderSql, [id, orderId]);
  return id;
}

export async function insertTicketMessage(
  q: Queryable,
  message: { ticketId: number; authorId: number; fromStaff: boolean; body: string; now: number },
): Promise<void> {
  await q.run(insertMessageSql, [
    message.ticketId,
    message.authorId,
    message.fromStaff ? 1 : 0,
    message.body,
    message.now,
  ]);
}

// The compare-and-set of a ticket move: from the state it was read in. A message adds one to the
// other side's unread count.
const moveSql = sql(
  `UPDATE tickets SET state = ?, updated_at = ?, customer_unread = customer_unread + ?, staff_unread = staff_unread + ?
   WHERE id = ? AND state = ?`,
);

export async function moveTicket(
  q: Queryable,
  move: {
    id: number;
    from: TicketState;
    to: TicketState;
    now: number;
    unreadFor: 'customer' | 'staff' | null;
  },
): Promise<boolean> {
  const changed = await q.run(moveSql, [
    move.to,
    move.now,
    move.unreadFor === 'customer' ? 1 : 0,
    move.unreadFor === 'staff' ? 1 : 0,
    move.id,
    move.from,
  ]);
  return changed === 1;
}

const selectTicketSql = sql(
  `SELECT ${TICKET_COLUMNS} FROM tickets t JOIN users u ON u.id = t.user_id WHERE t.id = ?`,
);
const lockTicketSql = sqlByDialect({
  sqlite: `SELECT ${TICKET_COLUMNS} FROM tickets t JOIN users u ON u.id = t.user_id WHERE t.id = ?`,
  postgres: `SELECT ${TICKET_COLUMNS} FROM tickets t JOIN users u ON u.id = t.user_id WHERE t.id = ? FOR UPDATE OF t`,
});

export async function findTicket(q: Queryable, id: number): Promise<Ticket | undefined> {
  const row = await q.get<TicketRow>(selectTicketSql, [id]);
  return row && toTicket(row);
}

/** The ticket, locked for the caller's transaction (PostgreSQL; SQLite's writer holds the lock). */
export async function lockTicket(q: Queryable, id: number): Promise<Ticket | undefined> {
  const row = await q.get<TicketRow>(lockTicketSql, [id]);
  return row && toTicket(row);
}

const markReadSql = {
  customer: sql('UPDATE tickets SET customer_unread = 0 WHERE id = ? AND customer_unread <> 0'),
  staff: sql('UPDATE tickets SET staff_unread = 0 WHERE id = ? AND staff_unread <> 0'),
};

export async function markTicketRead(q: Queryable, id: number, side: 'customer' | 'staff'): Promise<void> {
  await q.run(markReadSql[side], [id]);
}

/** Tickets, newest activity first: one customer's, or every one (filtered by state and subject). */
export async function listTickets(
  q: Queryable,
  filter: {
    userId?: number;
    state?: TicketState;
    subject?: TicketSubject;
    /**
     * A keyset page, newest ticket first, after `beforeId` when given (the activity order moves under
     * a reader paging through it, so a keyset page is ordered by id).
     */
    keyset?: { beforeId?: number | undefined };
    limit: number;
    offset: number;
  },
): Promise<Ticket[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.keyset?.beforeId !== undefined) {
    where.push('t.id < ?');
    params.push(filter.keyset.beforeId);
  }
  if (filter.userId !== undefined) {
    where.push('t.user_id = ?');
    params.push(filter.userId);
  }
  if (filter.state !== undefined) {
    where.push('t.state = ?');
    params.push(filter.state);
  }
  if (filter.subject !== undefined) {
    where.push('t.subject = ?');
    params.push(filter.subject);
  }
  params.push(filter.limit, filter.offset);
  const rows = await q.all<TicketRow>(
    dynamicSql(
      `SELECT ${TICKET_COLUMNS} FROM tickets t JOIN users u ON u.id = t.user_id
       ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
       ORDER BY ${filter.keyset === undefined ? 't.updated_at DESC, ' : ''}t.id DESC LIMIT ? OFFSET ?`,
    ),
    params,
  );
  return rows.map(toTicket);
}

const unreadSql = {
  customer: sql('SELECT COALESCE(SUM(customer_unread), 0) AS unread FROM tickets WHERE user_id = ?'),
  staff: sql('SELECT COALESCE(SUM(staff_unread), 0) AS unread FROM tickets'),
};

/** Unread messages over a customer's tickets, or over every ticket for staff. */
export async function countUnread(q: Queryable, side: { customer: number } | 'staff'): Promise<number> {
  const row =
    side === 'staff'
      ? await q.get<{ unread: bigint | number | string }>(unreadSql.staff)
      : await q.get<{ unread: bigint | number | string }>(unreadSql.customer, [side.customer]);
  return Number(row?.unread ?? 0);
}

export interface TicketMessage {
  readonly id: number;
  readonly fromStaff: boolean;
  readonly author: string;
  readonly body: string;
  readonly createdAt: number;
}

const messagesSql = sql(
  `SELECT m.id, m.from_staff, u.username, m.body, m.created_at FROM ticket_messages m JOIN users u ON u.id = m.author_id
   WHERE m.ticket_id = ? ORDER BY m.id`,
);

export async function listTicketMessages(q: Queryable, ticketId: number): Promise<TicketMessage[]> {
  const rows = await q.all<{
    id: bigint;
    from_staff: bigint;
    username: string;
    body: string;
    created_at: bigint;
  }>(messagesSql, [ticketId]);
  return rows.map((row) => ({
    id: Number(row.id),
    fromStaff: isSet(row.from_staff),
    author: row.username,
    body: row.body,
    createdAt: Number(row.created_at),
  }));
}

/** An order a ticket names, as staff see it: with its provider and the provider's order id. */
export interface TicketOrder {
  readonly id: number;
  readonly order: KindAndStatus;
  readonly link: string;
  readonly quantity: number;
  readonly service: string;
  readonly provider: string | null;
  readonly providerOrderId: string | null;
}

const ticketOrdersSql = sql(
  `SELECT o.id, o.kind, o.status, o.link, o.quantity, s.name AS service, p.name AS provider, o.provider_order_id
   FROM ticket_orders t JOIN orders o ON o.id = t.order_id JOIN services s ON s.id = o.service_id
   LEFT JOIN providers p ON p.id = o.provider_id
   WHERE t.ticket_id = ? ORDER BY o.id`,
);

export async function listTicketOrders(q: Queryable, ticketId: number): Promise<TicketOrder[]> {
  const rows = await q.all<{
    id: bigint;
    kind: string;
    status: string;
    link: string;
    quantity: bigint;
    service: string;
    provider: string | null;
    provider_order_id: string | null;
  }>(ticketOrdersSql, [ticketId]);
  return rows.map((row) => ({
    id: Number(row.id),
    order: readKindAndStatus(row.kind, row.status),
    link: row.link,
    quantity: Number(row.quantity),
    service: row.service,
    provider: row.provider,
    providerOrderId: row.provider_order_id,
  }));
}

const ownedOrdersSql = sqlByDialect({
  sqlite: `SELECT id FROM orders WHERE user_id = ? AND parent_id IS NULL AND id IN (SELECT value FROM json_each(?))`,
  postgres: `SELECT id FROM orders WHERE user_id = ? AND parent_id IS NULL AND id = ANY(?::bigint[])`,
});

/** Of the given order ids, those the user owns (top-level orders only). */
export async function findOwnedOrderIds(
  q: Queryable,
  userId: number,
  ids: readonly number[],
): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await q.all<{ id: bigint }>(ownedOrdersSql, [userId, idArray(q, ids)]);
  return rows.map((row) => Number(row.id));
}
