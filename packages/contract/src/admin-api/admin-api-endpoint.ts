import { type Static, type TSchema, Type } from 'typebox';
import type { EndpointSchemas, Method } from '../endpoint.js';
import { List, Nullable } from '../primitives.js';
import type { Permission } from '../permissions.js';

/**
 * Every admin API answer that is not a 2xx: an RFC 9457 problem (`application/problem+json`).
 * `type` names the failure (a URI under /admin-api/v1/problems/), `code` is the same failure code the
 * web panel and the CLI report.
 */
export const Problem = Type.Object(
  {
    type: Type.String({
      description: 'a URI naming the kind of problem, e.g. /admin-api/v1/problems/not-found',
    }),
    title: Type.String({ description: 'a short summary of the kind of problem' }),
    status: Type.Integer({ description: 'the HTTP status' }),
    detail: Type.String({ description: 'what went wrong with this request, as a sentence' }),
    code: Type.String({
      description: 'the failure code, e.g. INVALID_INPUT, NOT_FOUND, IDEMPOTENCY_KEY_REUSED',
    }),
  },
  { title: 'Problem' },
);
export type Problem = Static<typeof Problem>;

/** The query of every list: where to go on from, and how many items to answer. */
export const cursorFields = {
  /** `next_cursor` of the previous page; absent: the first page. */
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 200,
      default: 50,
      description: 'items per page (1-200, default 50)',
    }),
  ),
};
export const CursorQuery = Type.Object(cursorFields, { title: 'CursorQuery', additionalProperties: false });
export type CursorQuery = Static<typeof CursorQuery>;

/**
 * One page of a list, in a stable order (newest first unless said otherwise). `next_cursor` is
 * opaque: pass it back as `cursor` for the next page; null on the last page.
 */
export function Page<T extends TSchema>(items: T, title: string) {
  return Type.Object(
    { data: List(items), next_cursor: Nullable(Type.String({ description: 'the next page, or null' })) },
    { title },
  );
}

export interface AdminApiSchemas extends EndpointSchemas {
  /** The permission of the caller's staff role the endpoint needs (domain/permissions.ts). */
  readonly permission: Permission;
  readonly summary: string;
  /** The web admin endpoint doing the same (`GET /admin/users`), whose permission must be the same. */
  readonly webRoute?: string;
}

/**
 * One endpoint of the admin API, relative to `/admin-api/v1`, in the shape Fastify's route options
 * take (`route({ ...endpoint, handler })`): its schemas validate the request and serialise the
 * answer, and the OpenAPI document is generated from the same objects.
 */
export function adminApiEndpoint<
  const M extends Method,
  const U extends string,
  const S extends AdminApiSchemas,
>(method: M, url: U, schemas: S) {
  const { answer, permission, summary, webRoute, ...request } = schemas;
  return {
    method,
    url,
    permission,
    summary,
    webRoute,
    schema: { ...request, response: { 200: answer as S['answer'], default: Problem } },
  };
}

export type AdminApiEndpoint = ReturnType<typeof adminApiEndpoint<Method, string, AdminApiSchemas>>;
