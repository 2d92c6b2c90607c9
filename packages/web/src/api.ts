/** The web panel's JSON endpoints (/web-api/…): session cookie, CSRF header, `{ error }` failures. */
import type { AnswerOf, BodyOf, ErrorBody, PathOf, WebEndpoint } from '@smmkit/contract';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    /** The failure's details (a minimum, a field…), for its translation. */
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

/** Told after every POST/PUT/PATCH answer (success or failure): the session re-reads the balance. */
const mutationListeners = new Set<() => void>();

export function onMutation(listener: () => void): () => void {
  mutationListeners.add(listener);
  return () => mutationListeners.delete(listener);
}

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined || method !== 'GET') headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(`/web-api${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
  });
  const text = await response.text();
  // A quote or a preview changes nothing; every other write may have moved money.
  if (method !== 'GET' && path !== '/orders/quote' && path !== '/admin/announcements/preview')
    for (const listener of mutationListeners) listener();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    throw new ApiError(response.status, 'The server answered something unreadable', 'UNREADABLE');
  }
  if (!response.ok) {
    const failure = json as (Partial<ErrorBody> & { params?: Record<string, string | number> }) | null;
    throw new ApiError(
      response.status,
      failure?.error ?? `Request failed (${response.status})`,
      failure?.code ?? 'HTTP',
      failure?.params ?? {},
    );
  }
  const value = json as T & { csrfToken?: unknown };
  if (typeof value === 'object' && value !== null && typeof value.csrfToken === 'string')
    setCsrfToken(value.csrfToken);
  return value;
}

type Method = WebEndpoint['method'];
type EndpointsOf<M extends Method> = Extract<WebEndpoint, { method: M }>;

/** The paths of the contract's endpoints for a method: `/orders/${number}/refill`, `/orders?page=2`… */
export type PathFor<M extends Method> = PathOf<EndpointsOf<M>>;

/** The endpoint (or endpoints, for a path such as `/orders/${number}/${action}`) a call reaches. */
type Reached<M extends Method, P extends string> =
  EndpointsOf<M> extends infer E
    ? E extends WebEndpoint
      ? P extends PathOf<E>
        ? E
        : never
      : never
    : never;

/** What a call answers: the 200 answer of the endpoint its method and path reach. */
export type Answer<M extends Method, P extends string> = AnswerOf<Reached<M, P>>;

/** An endpoint's body, when it takes one. */
type BodyArgs<E extends WebEndpoint> = [BodyOf<E>] extends [never] ? [] : [body: BodyOf<E>];

/** Typed by the contract: a path that is no endpoint, a wrong body or a misread answer does not compile. */
export const api = {
  get: <P extends PathFor<'GET'>>(path: P) => call<Answer<'GET', P>>('GET', path),
  post: <P extends PathFor<'POST'>>(path: P, ...body: BodyArgs<Reached<'POST', P>>) =>
    call<Answer<'POST', P>>('POST', path, body[0]),
  put: <P extends PathFor<'PUT'>>(path: P, ...body: BodyArgs<Reached<'PUT', P>>) =>
    call<Answer<'PUT', P>>('PUT', path, body[0]),
  patch: <P extends PathFor<'PATCH'>>(path: P, ...body: BodyArgs<Reached<'PATCH', P>>) =>
    call<Answer<'PATCH', P>>('PATCH', path, body[0]),
  delete: <P extends PathFor<'DELETE'>>(path: P) => call<Answer<'DELETE', P>>('DELETE', path),
};

/** A query string (`?a=1&b=x`), or '' when every value is empty. */
export function query(params: Record<string, string | number | boolean | undefined>): '' | `?${string}` {
  const entries = Object.entries(params).filter(
    (entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== '',
  );
  return entries.length === 0
    ? ''
    : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}
