import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { CustomerOrderRecord, customerOrderFields, listedOrderFields } from './order-fields.js';
import { Dictionary, Id, List, Money, Nullable, StringEnum } from './primitives.js';
import { IdParams, PageQuery } from './request-params.js';

/** `add` parameters as API v2 takes them (every value a string), `request_id` included. */
export const OrderParamsBody = Type.Object(
  {
    params: Dictionary(Type.String({ maxLength: 100_000 }), { maxProperties: 30 }),
  },
  { title: 'OrderParamsBody', additionalProperties: false },
);
export type OrderParamsBody = Static<typeof OrderParamsBody>;

export const OrderQuote = Type.Object(
  {
    /** What `add` would charge now (0 for a subscription: its posts are charged one by one). */
    charge: Money,
    /** The quantity per run: derived (comments, usernames…) or the one given. */
    quantity: Type.Integer(),
    /** A subscription: the balance `add` requires (one post at `max`). */
    reserve: Nullable(Money),
  },
  { title: 'OrderQuote' },
);
export type OrderQuote = Static<typeof OrderQuote>;

/** The `add` answer. */
export const PlacedOrder = Type.Object({ order: Id }, { title: 'PlacedOrder' });
export type PlacedOrder = Static<typeof PlacedOrder>;

/** One `service|link|quantity` per line. */
export const MassOrderBody = Type.Object(
  { orders: Type.String({ maxLength: 200_000 }) },
  { title: 'MassOrderBody', additionalProperties: false },
);
export type MassOrderBody = Static<typeof MassOrderBody>;

export const MassOrderLine = Type.Object(
  {
    /** 1-based, blank lines counted, so numbers match the editor. */
    line: Type.Integer(),
    text: Type.String(),
    order: Nullable(Id),
    /** The API v2 error string of a refused line. */
    error: Nullable(Type.String()),
  },
  { title: 'MassOrderLine' },
);
export type MassOrderLine = Static<typeof MassOrderLine>;

export const MassOrderAnswer = Type.Object({ lines: List(MassOrderLine) }, { title: 'MassOrderAnswer' });
export type MassOrderAnswer = Static<typeof MassOrderAnswer>;

/**
 * An order in the customer's lists: `charge` is what it costs now (less refunds; a subscription:
 * the sum of its posts), with its drip-feed runs or subscription posts. No fulfilment internals.
 */
export const CustomerOrder = Type.Object(
  { ...customerOrderFields, ...listedOrderFields, children: List(CustomerOrderRecord) },
  { title: 'CustomerOrder' },
);
export type CustomerOrder = Static<typeof CustomerOrder>;

/** How many orders have a status: one tab of the Orders page. */
export const StatusCount = Type.Object(
  { status: Type.String(), count: Type.Integer() },
  { title: 'StatusCount' },
);
export type StatusCount = Static<typeof StatusCount>;

export const CustomerOrderPage = Type.Object(
  {
    orders: List(CustomerOrder),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
    /** Every status label with how many of the customer's orders (matching `q`, any status) have it. */
    counts: List(StatusCount),
  },
  { title: 'CustomerOrderPage' },
);
export type CustomerOrderPage = Static<typeof CustomerOrderPage>;

export const CustomerDashboard = Type.Object(
  { balance: Money, recentOrders: List(CustomerOrder), totalOrders: Type.Integer() },
  { title: 'CustomerDashboard' },
);
export type CustomerDashboard = Static<typeof CustomerDashboard>;

export const RefillRequested = Type.Object({ refill: Id }, { title: 'RefillRequested' });
export type RefillRequested = Static<typeof RefillRequested>;

/** The cancel was accepted: done and refunded at once, or asked of whoever fulfils the order. */
export const CancelAccepted = Type.Object({ canceled: Id }, { title: 'CancelAccepted' });
export type CancelAccepted = Static<typeof CancelAccepted>;

/** Refill or cancel several of the customer's orders at once (up to 100). */
export const BulkOrdersBody = Type.Object(
  {
    action: StringEnum(['refill', 'cancel'] as const),
    orders: List(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), { maxItems: 100 }),
  },
  { title: 'BulkOrdersBody', additionalProperties: false },
);
export type BulkOrdersBody = Static<typeof BulkOrdersBody>;

/** What the bulk action did for each order: accepted, or refused with the API v2 error. */
export const BulkOrdersAnswer = Type.Object(
  { results: List(Type.Object({ order: Id, ok: Type.Boolean(), message: Type.String() })) },
  { title: 'BulkOrdersAnswer' },
);
export type BulkOrdersAnswer = Static<typeof BulkOrdersAnswer>;

export const getDashboard = endpoint('GET', '/dashboard', { answer: CustomerDashboard });
export const quoteOrder = endpoint('POST', '/orders/quote', { body: OrderParamsBody, answer: OrderQuote });
export const placeOrder = endpoint('POST', '/orders', { body: OrderParamsBody, answer: PlacedOrder });
export const placeMassOrder = endpoint('POST', '/orders/mass', {
  body: MassOrderBody,
  answer: MassOrderAnswer,
});
export const listOrders = endpoint('GET', '/orders', { querystring: PageQuery, answer: CustomerOrderPage });
export const actOnOrders = endpoint('POST', '/orders/bulk', {
  body: BulkOrdersBody,
  answer: BulkOrdersAnswer,
});
export const requestRefill = endpoint('POST', '/orders/:id/refill', {
  params: IdParams,
  answer: RefillRequested,
});
export const cancelOrder = endpoint('POST', '/orders/:id/cancel', {
  params: IdParams,
  answer: CancelAccepted,
});
