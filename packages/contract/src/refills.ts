import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { Id, IsoTime, List, Nullable } from './primitives.js';
import { PageQuery } from './request-params.js';

export const Refill = Type.Object(
  {
    id: Id,
    orderId: Id,
    username: Type.String(),
    /** Pending, In progress, Completed, Rejected. */
    status: Type.String(),
    link: Nullable(Type.String()),
    serviceName: Type.String(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  },
  { title: 'Refill' },
);
export type Refill = Static<typeof Refill>;

/** Refills newest first: the customer's own, or everyone's for the admin. */
export const RefillPage = Type.Object(
  { refills: List(Refill), page: Type.Integer() },
  { title: 'RefillPage' },
);
export type RefillPage = Static<typeof RefillPage>;

export const listRefills = endpoint('GET', '/refills', { querystring: PageQuery, answer: RefillPage });
