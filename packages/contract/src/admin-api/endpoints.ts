import { type Static, Type } from 'typebox';
import { AuditEntry } from '../admin/audit.js';
import {
  AdminCategory,
  AdminService,
  ServiceBody,
  ServiceChangesBody,
  ServiceSaved,
} from '../admin/catalog.js';
import { AdminOrder, OrderDetail, OrderStatusBody } from '../admin/orders.js';
import { AdminDeposit, RejectDepositBody } from '../admin/payments.js';
import { Provider, ProviderBalance, SyncReport } from '../admin/providers.js';
import { AdminUser, FundsBody, NewBalance, UserStatusBody, UserStatusSet } from '../admin/users.js';
import { OrderRecord } from '../order-fields.js';
import { Id } from '../primitives.js';
import { Refill } from '../refills.js';
import { IdParams } from '../request-params.js';
import { AdminTicket, TICKET_STATES, TICKET_SUBJECTS, TicketMessageBody, TicketSummary } from '../tickets.js';
import { StringEnum } from '../primitives.js';
import { CursorQuery, Page, adminApiEndpoint, cursorFields } from './admin-api-endpoint.js';

export const UserListQuery = Type.Object(
  { ...cursorFields, q: Type.Optional(Type.String({ maxLength: 64, description: 'part of a username' })) },
  { title: 'UserListQuery', additionalProperties: false },
);
export type UserListQuery = Static<typeof UserListQuery>;

/** A new customer (staff accounts are made at the command line). */
export const NewCustomerBody = Type.Object(
  {
    username: Type.String({ maxLength: 64 }),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 200 })),
    email: Type.Optional(Type.String({ maxLength: 254 })),
  },
  { title: 'NewCustomerBody', additionalProperties: false },
);
export type NewCustomerBody = Static<typeof NewCustomerBody>;

/** The new customer, with their API key: shown once, only its hash is stored. */
export const NewCustomer = Type.Object(
  { id: Id, username: Type.String(), apiKey: Type.String() },
  { title: 'NewCustomer' },
);
export type NewCustomer = Static<typeof NewCustomer>;

export const OrderListQuery = Type.Object(
  {
    ...cursorFields,
    status: Type.Optional(
      Type.String({ maxLength: 40, description: 'a status label: Pending, In progress…' }),
    ),
    user: Type.Optional(Type.Integer({ minimum: 1, description: "the customer's user id" })),
    service: Type.Optional(Type.Integer({ minimum: 1, description: 'a service id' })),
    provider: Type.Optional(Type.Integer({ minimum: 1, description: 'a provider id' })),
    created_from: Type.Optional(Type.String({ format: 'date-time', description: 'created at or after' })),
    created_to: Type.Optional(Type.String({ format: 'date-time', description: 'created before' })),
  },
  { title: 'OrderListQuery', additionalProperties: false },
);
export type OrderListQuery = Static<typeof OrderListQuery>;

export const RefillListQuery = Type.Object(
  {
    ...cursorFields,
    status: Type.Optional(Type.String({ maxLength: 40, description: 'a refill status label' })),
  },
  { title: 'RefillListQuery', additionalProperties: false },
);
export type RefillListQuery = Static<typeof RefillListQuery>;

export const DepositListQuery = Type.Object(
  {
    ...cursorFields,
    status: Type.Optional(Type.String({ maxLength: 40, description: 'a deposit status, e.g. review' })),
    method: Type.Optional(Type.Integer({ minimum: 1, description: 'a payment method id' })),
  },
  { title: 'DepositListQuery', additionalProperties: false },
);
export type DepositListQuery = Static<typeof DepositListQuery>;

export const TicketPageQuery = Type.Object(
  {
    ...cursorFields,
    state: Type.Optional(StringEnum(TICKET_STATES)),
    subject: Type.Optional(StringEnum(TICKET_SUBJECTS)),
  },
  { title: 'TicketPageQuery', additionalProperties: false },
);
export type TicketPageQuery = Static<typeof TicketPageQuery>;

export const UserPage = Page(AdminUser, 'UserPage');
export const CategoryPage = Page(AdminCategory, 'CategoryPage');
export const ServicePage = Page(AdminService, 'ServicePage');
export const OrderPage = Page(AdminOrder, 'OrderPage');
export const RefillListPage = Page(Refill, 'RefillListPage');
export const DepositPage = Page(AdminDeposit, 'DepositPage');
export const ProviderPage = Page(Provider, 'ProviderPage');
export const TicketPage = Page(TicketSummary, 'TicketPage');
export const AuditEntryPage = Page(AuditEntry, 'AuditEntryPage');

/** Every endpoint of the admin API (under /admin-api/v1), each naming the permission it needs. */
export const ADMIN_API = {
  listUsers: adminApiEndpoint('GET', '/users', {
    summary: 'List users, newest first; q searches usernames',
    permission: 'users.read',
    webRoute: 'GET /admin/users',
    querystring: UserListQuery,
    answer: UserPage,
  }),
  createUser: adminApiEndpoint('POST', '/users', {
    summary: 'Create a customer (their API key is in the answer, once)',
    permission: 'users.write',
    body: NewCustomerBody,
    answer: NewCustomer,
  }),
  setUserStatus: adminApiEndpoint('POST', '/users/:id/status', {
    summary: 'Suspend (status "suspended") or unsuspend (status "active") a user',
    permission: 'users.write',
    webRoute: 'POST /admin/users/:id/status',
    params: IdParams,
    body: UserStatusBody,
    answer: UserStatusSet,
  }),
  adjustBalance: adminApiEndpoint('POST', '/users/:id/funds', {
    summary: "Adjust a user's balance (a negative amount deducts) with a memo: one ledger entry",
    permission: 'users.funds',
    webRoute: 'POST /admin/users/:id/funds',
    params: IdParams,
    body: FundsBody,
    answer: NewBalance,
  }),
  listCategories: adminApiEndpoint('GET', '/categories', {
    summary: 'List categories, by id',
    permission: 'services.read',
    webRoute: 'GET /admin/catalog',
    querystring: CursorQuery,
    answer: CategoryPage,
  }),
  listServices: adminApiEndpoint('GET', '/services', {
    summary: 'List services, by id',
    permission: 'services.read',
    webRoute: 'GET /admin/catalog',
    querystring: CursorQuery,
    answer: ServicePage,
  }),
  showService: adminApiEndpoint('GET', '/services/:id', {
    summary: 'One service',
    permission: 'services.read',
    webRoute: 'GET /admin/catalog',
    params: IdParams,
    answer: AdminService,
  }),
  createService: adminApiEndpoint('POST', '/services', {
    summary: 'Create a service (its category is created when new)',
    permission: 'services.write',
    webRoute: 'POST /admin/services',
    body: ServiceBody,
    answer: ServiceSaved,
  }),
  updateService: adminApiEndpoint('PATCH', '/services/:id', {
    summary: 'Change some fields of a service',
    permission: 'services.write',
    webRoute: 'PATCH /admin/services/:id',
    params: IdParams,
    body: ServiceChangesBody,
    answer: ServiceSaved,
  }),
  listOrders: adminApiEndpoint('GET', '/orders', {
    summary: 'List orders, newest first, filtered by status, user, service, provider and creation time',
    permission: 'orders.read',
    webRoute: 'GET /admin/orders',
    querystring: OrderListQuery,
    answer: OrderPage,
  }),
  showOrder: adminApiEndpoint('GET', '/orders/:id', {
    summary: 'One order with its ledger entries, refills and provider history',
    permission: 'orders.read',
    webRoute: 'GET /admin/orders/:id',
    params: IdParams,
    answer: OrderDetail,
  }),
  setOrderStatus: adminApiEndpoint('POST', '/orders/:id/status', {
    summary: "Change an order's status (refunds as the status rules say)",
    permission: 'orders.write',
    webRoute: 'POST /admin/orders/:id/status',
    params: IdParams,
    body: OrderStatusBody,
    answer: OrderRecord,
  }),
  listRefills: adminApiEndpoint('GET', '/refills', {
    summary: 'List refills, newest first',
    permission: 'orders.read',
    webRoute: 'GET /admin/refills',
    querystring: RefillListQuery,
    answer: RefillListPage,
  }),
  showRefill: adminApiEndpoint('GET', '/refills/:id', {
    summary: 'One refill',
    permission: 'orders.read',
    webRoute: 'GET /admin/refills',
    params: IdParams,
    answer: Refill,
  }),
  listDeposits: adminApiEndpoint('GET', '/deposits', {
    summary: 'List deposits, newest first; status=review is the review list',
    permission: 'payments.read',
    webRoute: 'GET /admin/deposits',
    querystring: DepositListQuery,
    answer: DepositPage,
  }),
  showDeposit: adminApiEndpoint('GET', '/deposits/:id', {
    summary: 'One deposit',
    permission: 'payments.read',
    webRoute: 'GET /admin/deposits',
    params: IdParams,
    answer: AdminDeposit,
  }),
  approveDeposit: adminApiEndpoint('POST', '/deposits/:id/approve', {
    summary: 'Approve a manual deposit (or one held for review): the balance is credited',
    permission: 'payments.decide',
    webRoute: 'POST /admin/deposits/:id/approve',
    params: IdParams,
    answer: AdminDeposit,
  }),
  rejectDeposit: adminApiEndpoint('POST', '/deposits/:id/reject', {
    summary: 'Reject a deposit waiting for a decision, with a reason',
    permission: 'payments.decide',
    webRoute: 'POST /admin/deposits/:id/reject',
    params: IdParams,
    body: RejectDepositBody,
    answer: AdminDeposit,
  }),
  listProviders: adminApiEndpoint('GET', '/providers', {
    summary: 'List providers (keys masked), by id',
    permission: 'providers.read',
    webRoute: 'GET /admin/providers',
    querystring: CursorQuery,
    answer: ProviderPage,
  }),
  providerBalance: adminApiEndpoint('GET', '/providers/:id/balance', {
    summary: "Ask a provider for our balance there (a call to the provider's API)",
    permission: 'providers.read',
    webRoute: 'POST /admin/providers/:id/balance',
    params: IdParams,
    answer: ProviderBalance,
  }),
  syncProvider: adminApiEndpoint('POST', '/providers/:id/sync', {
    summary: "Sync a provider's services: prices, limits and removals, as `provider sync` does",
    permission: 'providers.sync',
    webRoute: 'POST /admin/providers/:id/sync',
    params: IdParams,
    answer: SyncReport,
  }),
  listTickets: adminApiEndpoint('GET', '/tickets', {
    summary: 'List support tickets, newest first',
    permission: 'tickets.read',
    webRoute: 'GET /admin/tickets',
    querystring: TicketPageQuery,
    answer: TicketPage,
  }),
  showTicket: adminApiEndpoint('GET', '/tickets/:id', {
    summary: 'One ticket with its messages and orders',
    permission: 'tickets.read',
    webRoute: 'GET /admin/tickets/:id',
    params: IdParams,
    answer: AdminTicket,
  }),
  replyToTicket: adminApiEndpoint('POST', '/tickets/:id/reply', {
    summary: 'Answer a ticket as staff',
    permission: 'tickets.reply',
    webRoute: 'POST /admin/tickets/:id/messages',
    params: IdParams,
    body: TicketMessageBody,
    answer: AdminTicket,
  }),
  closeTicket: adminApiEndpoint('POST', '/tickets/:id/close', {
    summary: 'Close a ticket',
    permission: 'tickets.reply',
    webRoute: 'POST /admin/tickets/:id/close',
    params: IdParams,
    answer: AdminTicket,
  }),
  listAudit: adminApiEndpoint('GET', '/audit', {
    summary: 'The audit log, newest first',
    permission: 'audit.read',
    webRoute: 'GET /admin/audit',
    querystring: CursorQuery,
    answer: AuditEntryPage,
  }),
} as const;
