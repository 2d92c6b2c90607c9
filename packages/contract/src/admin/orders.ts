import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { OrderRecord, listedOrderFields, orderFields } from '../order-fields.js';
import { Id, InOrder, IsoTime, Json, List, Money, Nullable, StringEnum } from '../primitives.js';
import { IdParams, PageQuery } from '../request-params.js';
import { RefillRecord } from './refills.js';

/** An order in the admin's lists: the customer's view plus its dispatch state and last provider error. */
export const AdminOrder = Type.Object(
  {
    ...orderFields,
    ...listedOrderFields,
    /** manual, queued, submitting, sent, review, refused. */
    dispatchState: Type.String(),
    children: List(OrderRecord),
  },
  { title: 'AdminOrder' },
);
export type AdminOrder = Static<typeof AdminOrder>;

export const AdminOrderPage = Type.Object(
  { orders: List(AdminOrder), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() },
  { title: 'AdminOrderPage' },
);
export type AdminOrderPage = Static<typeof AdminOrderPage>;

/** A ledger entry of one order, with the unique key that keeps it from being posted twice. */
export const OrderLedgerEntry = Type.Object(
  {
    id: Id,
    kind: Type.String(),
    amount: Money,
    entryKey: Type.String(),
    memo: Nullable(Type.String()),
    balanceAfter: Money,
    createdAt: IsoTime,
  },
  { title: 'OrderLedgerEntry' },
);
export type OrderLedgerEntry = Static<typeof OrderLedgerEntry>;

/** Everything the owner needs to judge one order: its money, refills, runs or posts, and history. */
export const OrderDetail = InOrder(
  Type.Object(
    {
      ...orderFields,
      /** A subscription: what its posts cost now. */
      childrenCharge: Type.Optional(Money),
      ledger: List(OrderLedgerEntry),
      refills: List(RefillRecord),
      children: List(OrderRecord),
      cancelRequest: Nullable(
        Type.Object(
          { status: Type.String(), createdAt: IsoTime, updatedAt: IsoTime },
          { title: 'CancelRequest' },
        ),
      ),
      history: List(Type.Object({ at: IsoTime, actor: Type.String(), action: Type.String(), details: Json })),
    },
    { title: 'OrderDetail' },
  ),
);
export type OrderDetail = Static<typeof OrderDetail>;

/** A manual order's move; start count and remains as the provider or the owner counted them. */
export const OrderStatusBody = Type.Object(
  {
    status: Type.String({ maxLength: 40 }),
    startCount: Type.Optional(Type.Integer({ minimum: 0 })),
    remains: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { title: 'OrderStatusBody', additionalProperties: false },
);
export type OrderStatusBody = Static<typeof OrderStatusBody>;

/** The admin's buttons on an order in review: send again, fulfil by hand, cancel and refund, or link the provider's order. */
export const RESOLUTIONS = ['retry', 'manual', 'cancel', 'link'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const ResolutionBody = Type.Object(
  {
    resolution: StringEnum(RESOLUTIONS),
    /** With `link`: the order's id at the provider. */
    providerOrderId: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { title: 'ResolutionBody', additionalProperties: false },
);
export type ResolutionBody = Static<typeof ResolutionBody>;

export const Resolved = Type.Object({ id: Id, resolution: StringEnum(RESOLUTIONS) }, { title: 'Resolved' });
export type Resolved = Static<typeof Resolved>;

export const listAdminOrders = endpoint('GET', '/admin/orders', {
  querystring: PageQuery,
  answer: AdminOrderPage,
});
export const showOrder = endpoint('GET', '/admin/orders/:id', { params: IdParams, answer: OrderDetail });
export const setOrderStatus = endpoint('POST', '/admin/orders/:id/status', {
  params: IdParams,
  body: OrderStatusBody,
  answer: OrderRecord,
});
export const resolveReview = endpoint('POST', '/admin/orders/:id/resolve', {
  params: IdParams,
  body: ResolutionBody,
  answer: Resolved,
});
