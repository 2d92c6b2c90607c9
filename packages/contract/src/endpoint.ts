import { type Static, type TSchema, Type } from 'typebox';

/** Every answer that is not a 2xx: a message to show and a code to branch on. */
export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'a sentence for the user' }),
    code: Type.String({ description: 'the failure code, e.g. INVALID_INPUT, CSRF, NOT_FOUND' }),
    params: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
        description: "the failure's details (a minimum, a field…), to translate it by its code",
      }),
    ),
  },
  { title: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What an endpoint takes (each part optional) and what it answers with a 200. */
export interface EndpointSchemas {
  readonly params?: TSchema;
  readonly querystring?: TSchema;
  readonly body?: TSchema;
  readonly answer: TSchema;
}

/**
 * One endpoint of the web API, relative to `/web-api`: its method, its URL (`:id` for a path
 * parameter) and its schemas in the shape Fastify's route options take, so the server registers it
 * as it is (`route({ ...endpoint, handler })`) and every non-2xx answer is serialised as ErrorBody.
 */
export function endpoint<const M extends Method, const U extends string, const S extends EndpointSchemas>(
  method: M,
  url: U,
  schemas: S,
) {
  const { answer, ...request } = schemas;
  return {
    method,
    url,
    schema: { ...request, response: { 200: answer as S['answer'], default: ErrorBody } },
  };
}

export type Endpoint = ReturnType<typeof endpoint<Method, string, EndpointSchemas>>;

// Each conditional checks `E` itself, so that a union of endpoints gives the union of their parts.
type Part<E extends Endpoint, K extends keyof EndpointSchemas> = E extends {
  readonly schema: { readonly [P in K]: infer S extends TSchema };
}
  ? Static<S>
  : never;

/** The body of an endpoint's 200 answer. */
export type AnswerOf<E extends Endpoint> = E extends Endpoint ? Static<E['schema']['response'][200]> : never;
/** The JSON body an endpoint takes (never when it takes none). */
export type BodyOf<E extends Endpoint> = Part<E, 'body'>;
export type QueryOf<E extends Endpoint> = Part<E, 'querystring'>;
export type ParamsOf<E extends Endpoint> = Part<E, 'params'>;

/** `/orders/:id/refill` as the paths that match it: `/orders/${number}/refill`. */
type PathPattern<U extends string> = U extends `${infer Head}/:${string}/${infer Tail}`
  ? `${Head}/${number}/${PathPattern<Tail>}`
  : U extends `${infer Head}/:${string}`
    ? `${Head}/${number}`
    : U;

/** The paths a client may call an endpoint with: its URL with ids filled in, and a query string if it takes one. */
export type PathOf<E extends Endpoint> = E extends { readonly schema: { readonly querystring: TSchema } }
  ? PathPattern<E['url']> | `${PathPattern<E['url']>}?${string}`
  : PathPattern<E['url']>;
