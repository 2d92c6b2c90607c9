import { createUser } from '../../src/app/users/create-user.js';
import type { TestPanel } from './test-panel.js';

export interface WebResponse {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index answers of many shapes
  readonly json: any;
  readonly headers: Headers;
}

/** A browser as the web panel sees one: a cookie jar of one session cookie and the CSRF token. */
export class WebClient {
  cookie: string | null = null;
  csrfToken: string | null = null;

  constructor(readonly baseUrl: string) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; contentType?: string } = {},
  ): Promise<WebResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookie !== null) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    if ((options.csrf ?? true) && this.csrfToken !== null) headers['x-csrf-token'] = this.csrfToken;
    const response = await fetch(`${this.baseUrl}/web-api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie !== null) {
      const value = setCookie.split(';')[0]!;
      this.cookie = value.endsWith('=') ? null : value;
    }
    const text = await response.text();
    const json = text === '' ? null : JSON.parse(text);
    if (json && typeof json === 'object' && typeof json.csrfToken === 'string')
      this.csrfToken = json.csrfToken;
    return { status: response.status, json, headers: response.headers };
  }

  get(path: string): Promise<WebResponse> {
    return this.request('GET', path);
  }

  post(
    path: string,
    body: unknown = {},
    options?: { csrf?: boolean; contentType?: string },
  ): Promise<WebResponse> {
    return this.request('POST', path, body, options);
  }

  async login(username: string, password: string): Promise<WebResponse> {
    return this.post('/login', { username, password });
  }
}

let counter = 0;

/** A user with a password (customer or admin), and a web client logged in as them. */
export async function webUser(
  panel: TestPanel,
  /** 'admin': the owner, who may do everything. */
  as: 'customer' | 'admin' | 'owner' | 'manager' | 'support' = 'customer',
): Promise<{ id: number; username: string; password: string; apiKey: string; web: WebClient }> {
  const role = as === 'admin' ? 'owner' : as;
  const username = `${as}${++counter}_${process.pid}`;
  const password = `pw-${username}-secret`;
  const created = await createUser(panel.ctx, { username, password, role });
  if (!created.ok) throw new Error(`createUser: ${created.failure.code}`);
  const web = new WebClient(panel.baseUrl);
  const login = await web.login(username, password);
  if (login.status !== 200) throw new Error(`login: ${JSON.stringify(login.json)}`);
  return { ...created.value, password, web };
}
