import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { Id, IsoTime, List, Nullable, StringEnum } from './primitives.js';
import { IdParams } from './request-params.js';

/** Sent and answered exactly as written (the server's domain/tickets.ts holds the same list). */
export const TICKET_SUBJECTS = ['Order', 'Refill', 'Cancel', 'Speed-up', 'Payment', 'API', 'Other'] as const;
export type TicketSubject = (typeof TICKET_SUBJECTS)[number];
export const TICKET_STATES = ['open', 'answered', 'customer-replied', 'closed'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export const TicketSummary = Type.Object(
  {
    id: Id,
    username: Type.String(),
    subject: StringEnum(TICKET_SUBJECTS),
    state: StringEnum(TICKET_STATES),
    /** Messages the caller's side has not opened yet. */
    unread: Type.Integer(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  },
  { title: 'TicketSummary' },
);
export type TicketSummary = Static<typeof TicketSummary>;

export const TicketList = Type.Object(
  { tickets: List(TicketSummary), unread: Type.Integer() },
  { title: 'TicketList' },
);
export type TicketList = Static<typeof TicketList>;

/** Plain text, shown as text. */
export const TicketMessage = Type.Object(
  { id: Id, fromStaff: Type.Boolean(), author: Type.String(), message: Type.String(), createdAt: IsoTime },
  { title: 'TicketMessage' },
);
export type TicketMessage = Static<typeof TicketMessage>;

export const CustomerTicket = Type.Object(
  { ticket: TicketSummary, messages: List(TicketMessage), orders: List(Id) },
  { title: 'CustomerTicket' },
);
export type CustomerTicket = Static<typeof CustomerTicket>;

/** An order a ticket names, as staff see it. */
export const TicketOrder = Type.Object(
  {
    id: Id,
    status: Type.String(),
    link: Type.String(),
    quantity: Type.Integer(),
    service: Type.String(),
    provider: Nullable(Type.String()),
    providerOrderId: Nullable(Type.String()),
  },
  { title: 'TicketOrder' },
);
export type TicketOrder = Static<typeof TicketOrder>;

export const AdminTicket = Type.Object(
  {
    ticket: TicketSummary,
    messages: List(TicketMessage),
    orders: List(TicketOrder),
    /** Refill and Cancel tickets with orders: the one-click action on them. */
    action: Nullable(StringEnum(['refill', 'cancel'] as const)),
  },
  { title: 'AdminTicket' },
);
export type AdminTicket = Static<typeof AdminTicket>;

export const NewTicketBody = Type.Object(
  {
    subject: StringEnum(TICKET_SUBJECTS),
    message: Type.String({ maxLength: 5000 }),
    /** Order ids, comma-separated ("12,15"): the caller's own. */
    orders: Type.Optional(Type.String({ maxLength: 1200 })),
  },
  { title: 'NewTicketBody', additionalProperties: false },
);
export type NewTicketBody = Static<typeof NewTicketBody>;

export const TicketMessageBody = Type.Object(
  { message: Type.String({ maxLength: 5000 }) },
  { title: 'TicketMessageBody', additionalProperties: false },
);
export type TicketMessageBody = Static<typeof TicketMessageBody>;

export const NewTicket = Type.Object({ id: Id }, { title: 'NewTicket' });
export type NewTicket = Static<typeof NewTicket>;

export const TicketListQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    state: Type.Optional(StringEnum(TICKET_STATES)),
    subject: Type.Optional(StringEnum(TICKET_SUBJECTS)),
  },
  { title: 'TicketListQuery' },
);
export type TicketListQuery = Static<typeof TicketListQuery>;

/** What the one-click refill or cancel did for each order. */
export const TicketActionResults = Type.Object(
  { results: List(Type.Object({ order: Id, ok: Type.Boolean(), message: Type.String() })) },
  { title: 'TicketActionResults' },
);
export type TicketActionResults = Static<typeof TicketActionResults>;

export const listTickets = endpoint('GET', '/tickets', { querystring: TicketListQuery, answer: TicketList });
export const openTicket = endpoint('POST', '/tickets', { body: NewTicketBody, answer: NewTicket });
export const getTicket = endpoint('GET', '/tickets/:id', { params: IdParams, answer: CustomerTicket });
export const replyToTicket = endpoint('POST', '/tickets/:id/messages', {
  params: IdParams,
  body: TicketMessageBody,
  answer: CustomerTicket,
});
export const listAdminTickets = endpoint('GET', '/admin/tickets', {
  querystring: TicketListQuery,
  answer: TicketList,
});
export const getAdminTicket = endpoint('GET', '/admin/tickets/:id', {
  params: IdParams,
  answer: AdminTicket,
});
export const answerTicket = endpoint('POST', '/admin/tickets/:id/messages', {
  params: IdParams,
  body: TicketMessageBody,
  answer: AdminTicket,
});
export const closeTicket = endpoint('POST', '/admin/tickets/:id/close', {
  params: IdParams,
  answer: AdminTicket,
});
/** Refill tickets: request a refill of each linked order; Cancel tickets: cancel each (the usual rules). */
export const actOnTicketOrders = endpoint('POST', '/admin/tickets/:id/act', {
  params: IdParams,
  answer: TicketActionResults,
});
