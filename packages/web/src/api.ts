/** The web panel's JSON endpoints (/web-api/…): session cookie, CSRF header, `{ error }` failures. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

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
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    throw new ApiError(response.status, 'The server answered something unreadable', 'UNREADABLE');
  }
  if (!response.ok) {
    const failure = json as { error?: string; code?: string } | null;
    throw new ApiError(
      response.status,
      failure?.error ?? `Request failed (${response.status})`,
      failure?.code ?? 'HTTP',
    );
  }
  const value = json as T & { csrfToken?: unknown };
  if (typeof value === 'object' && value !== null && typeof value.csrfToken === 'string')
    setCsrfToken(value.csrfToken);
  return value;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => call<T>('PATCH', path, body),
};

export function query(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params).filter(
    (entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== '',
  );
  return entries.length === 0
    ? ''
    : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}
