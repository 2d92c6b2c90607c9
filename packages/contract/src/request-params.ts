import { type Static, Type } from 'typebox';
import { StringEnum } from './primitives.js';

/** `:id` in a URL: a positive whole number. */
export const IdParams = Type.Object(
  { id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
  { title: 'IdParams' },
);
export type IdParams = Static<typeof IdParams>;

export const ORDER_KINDS = ['order', 'dripfeed', 'subscription'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

/** The query of every list: the page, and the filters the list understands (others ignore the rest). */
export const PageQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    /** Orders: the page of orders older than this id (newest first), a keyset page rather than an offset. */
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    /** A status label ("In progress", "Active"…). */
    status: Type.Optional(Type.String({ maxLength: 40 })),
    /** An order id or part of a link; part of a username in the user list. */
    q: Type.Optional(Type.String({ maxLength: 200 })),
    kind: Type.Optional(StringEnum(ORDER_KINDS)),
    /** Admin orders: only those waiting in the dispatch review list. */
    review: Type.Optional(Type.Boolean()),
  },
  { title: 'PageQuery' },
);
export type PageQuery = Static<typeof PageQuery>;
