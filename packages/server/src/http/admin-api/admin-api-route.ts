import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AdminApiEndpoint } from '@smmkit/contract/admin-api';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { DEFAULT_LIMIT, decodeCursor } from './cursor.js';
import { sendProblem } from './problem.js';

/** The admin API's Fastify scope, typed by the contract's schemas (as the web panel's). */
export type AdminApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** An endpoint as Fastify route options, its permission in the route's config for the access hook. */
export function adminApiRoute<const E extends AdminApiEndpoint>(endpoint: E) {
  const { permission, summary: _summary, webRoute: _webRoute, ...route } = endpoint;
  return { ...route, config: { adminApiPermission: permission } };
}

/** A list's cursor and limit, or the problem already sent for a cursor this server did not make. */
export function readPaging(
  reply: FastifyReply,
  query: { cursor?: string | undefined; limit?: number | undefined },
  kind: 'a' | 'b',
) {
  const position = decodeCursor(query.cursor, kind);
  if (position === null) {
    void sendProblem(reply, 400, 'INVALID_CURSOR', 'cursor: pass next_cursor of the previous page as it was');
    return null;
  }
  return { position, limit: query.limit ?? DEFAULT_LIMIT };
}
