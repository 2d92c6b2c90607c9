import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { OrderRecord } from '../order-fields.js';
import { IdParams } from '../request-params.js';

/** A new post of a manual subscription: its quantity, or a random one within the subscription's bounds. */
export const PostBody = Type.Object(
  { quantity: Type.Optional(Type.Integer({ minimum: 1 })) },
  { title: 'PostBody', additionalProperties: false },
);
export type PostBody = Static<typeof PostBody>;

/** Answers the post's child order, created and charged. */
export const recordPost = endpoint('POST', '/admin/subscriptions/:id/post', {
  params: IdParams,
  body: PostBody,
  answer: OrderRecord,
});
