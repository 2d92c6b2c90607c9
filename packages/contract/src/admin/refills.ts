import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { Id, IsoTime } from '../primitives.js';
import { RefillPage } from '../refills.js';
import { IdParams, PageQuery } from '../request-params.js';

/** A refill as its owner sees it after a change. */
export const RefillRecord = Type.Object(
  { id: Id, orderId: Id, userId: Id, status: Type.String(), createdAt: IsoTime, updatedAt: IsoTime },
  { title: 'RefillRecord' },
);
export type RefillRecord = Static<typeof RefillRecord>;

/** In progress, Completed or Rejected (the server checks the move). */
export const RefillStatusBody = Type.Object(
  { status: Type.String({ maxLength: 40 }) },
  { title: 'RefillStatusBody', additionalProperties: false },
);
export type RefillStatusBody = Static<typeof RefillStatusBody>;

export const listAdminRefills = endpoint('GET', '/admin/refills', {
  querystring: PageQuery,
  answer: RefillPage,
});
export const setRefillStatus = endpoint('POST', '/admin/refills/:id/status', {
  params: IdParams,
  body: RefillStatusBody,
  answer: RefillRecord,
});
