import { ADMIN_API } from '@smmkit/contract/admin-api';

export interface AdminApiResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index many shapes
  readonly json: any;
}

/** `GET /users/{id}` templates of the document, as patterns matching concrete paths. */
const TEMPLATES = Object.values(ADMIN_API).map((endpoint) => ({
  key: `${endpoint.method} ${endpoint.url.replace(/:(\w+)/g, '{$1}')}`,
  method: endpoint.method,
  pattern: new RegExp(`^${endpoint.url.replace(/:\w+/g, '[^/]+')}$`),
}));

/**
 * Calls the admin API over real HTTP, and records which operation of the document each call reached
 * (`hit`), so a test can insist that every route was exercised.
 */
export class AdminApiClient {
  static readonly hit = new Set<string>();

  constructor(
    private readonly baseUrl: string,
    private readonly token: string | null,
  ) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<AdminApiResponse> {
    const response = await fetch(`${this.baseUrl}/admin-api/v1${path}`, {
      method,
      headers: {
        ...(this.token === null ? {} : { authorization: `Bearer ${this.token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = text;
    }
    // A route counts as exercised when the server's route answered: not refused before it (401, 403),
    // and not the API's "no such endpoint" (a documented route the server never registered).
    const pathOnly = path.split('?')[0]!;
    const template = TEMPLATES.find((t) => t.method === method && t.pattern.test(pathOnly));
    const unrouted = response.status === 404 && (json as { code?: unknown } | null)?.code === 'NOT_FOUND';
    if (template !== undefined && response.status !== 401 && response.status !== 403 && !unrouted)
      AdminApiClient.hit.add(template.key);
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      headers: response.headers,
      json,
    };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, body: unknown = {}, headers: Record<string, string> = {}) {
    return this.request('POST', path, body, headers);
  }
}
