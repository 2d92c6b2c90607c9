import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';

/**
 * The web panel's Fastify scope, typed by the contract's schemas: a route registered as
 * `web.route({ ...endpoint, handler })` gets its params, query and body typed from the endpoint's
 * schemas, and its handler must return the endpoint's answer (or send a failure).
 */
export type WebApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
