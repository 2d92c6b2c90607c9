import { once } from 'node:events';
import { type Socket, createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrustProxy } from '../../src/http/trust-proxy.js';
import { sql } from '../../src/store/database.js';
import { TestPanel } from '../support/test-panel.js';
import { webUser } from '../support/web-client.js';

/** Issue 13, the operational findings over real HTTP: 6 (metrics), 7 (CSP, HSTS), 2 (trusted proxies), 8 (slow clients). */

const TOKEN = 'metrics-token-0123456789abcdef';

describe('finding 6: /metrics and /readyz', () => {
  let open: TestPanel;
  let guarded: TestPanel;
  beforeAll(async () => {
    open = await TestPanel.start();
    guarded = await TestPanel.start({ http: { metricsToken: TOKEN } });
  });
  afterAll(async () => {
    await open.close();
    await guarded.close();
  });

  it('answers the trailing-slash spellings exactly as the plain ones', async () => {
    for (const path of ['/readyz', '/metrics']) {
      const plain = await fetch(`${open.baseUrl}${path}`);
      const slashed = await fetch(`${open.baseUrl}${path}/`);
      expect(slashed.status).toBe(plain.status);
      expect(slashed.headers.get('content-type')).toBe(plain.headers.get('content-type'));
    }
    expect(await (await fetch(`${open.baseUrl}/readyz/`)).json()).toEqual({ status: 'ready' });
  });

  it('with SMMKIT_METRICS_TOKEN, refuses /metrics and /metrics/ without the bearer token', async () => {
    const variants: [string, Record<string, string>][] = [
      ['/metrics', {}],
      ['/metrics/', {}],
      ['/metrics?x=1', {}],
      ['/metrics/', { authorization: `Bearer ${TOKEN}x` }],
      ['/metrics', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
      ['/metrics', { authorization: `Basic ${TOKEN}` }],
      ['/metrics', { authorization: TOKEN }],
    ];
    for (const [path, headers] of variants) {
      const response = await fetch(`${guarded.baseUrl}${path}`, { headers });
      expect(response.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const body = await response.text();
      expect(body).toBe('{"error":"Unauthorized"}');
    }
  });

  it('with the token, /metrics and /metrics/ answer the exposition', async () => {
    for (const path of ['/metrics', '/metrics/']) {
      const response = await fetch(`${guarded.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('smmkit_orders');
    }
  });

  it('without a token configured, /metrics stays open (hidden by the proxy rule in docs/deployment.md)', async () => {
    const response = await fetch(`${open.baseUrl}/metrics/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('smmkit_orders');
  });
});

describe('finding 7: Content-Security-Policy on the HTML, HSTS over https', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  it('sends a strict policy with the app (/ and every client route)', async () => {
    // `/` is the web panel for a signed-in user (a visitor gets the public landing page).
    const { cookie } = (await webUser(panel)).web;
    for (const path of ['/', '/orders', '/admin/users']) {
      const response = await fetch(`${panel.baseUrl}${path}`, {
        headers: { accept: 'text/html', cookie: cookie! },
      });
      expect(response.status).toBe(200);
      const policy = response.headers.get('content-security-policy') ?? '';
      const directives = new Map(
        policy.split(';').map((d) => {
          const [name, ...values] = d.trim().split(/\s+/);
          return [name!, values] as const;
        }),
      );
      expect(directives.get('script-src')).toEqual(["'self'"]);
      expect(directives.get('style-src')).toEqual(["'self'"]);
      expect(directives.get('default-src')).toEqual(["'self'"]);
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      expect(policy).not.toContain('unsafe-inline');
      expect(policy).not.toContain('unsafe-eval');
      // The page must work under it: no inline script, style or event handler in the built HTML.
      const html = await response.text();
      expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/[^"]+\.js"><\/script>/);
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(html).not.toMatch(/<style/);
      expect(html).not.toMatch(/\son\w+=/);
      expect(html).not.toMatch(/\sstyle=/);
    }
  });

  it('sends no HSTS over plain http', async () => {
    const response = await fetch(`${panel.baseUrl}/`, { headers: { accept: 'text/html' } });
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('finding 2: behind a reverse proxy (SMMKIT_TRUST_PROXY)', () => {
  const addressesOfFailures = sql('SELECT address FROM login_failures WHERE username = ? ORDER BY id');
  const panels: TestPanel[] = [];
  afterAll(() => Promise.all(panels.map((panel) => panel.close())));

  async function panelTrusting(trustProxy: TrustProxy): Promise<TestPanel> {
    const panel = await TestPanel.start({ http: { trustProxy } });
    panels.push(panel);
    return panel;
  }

  /** A login as nginx forwards it (X-Forwarded-For appended, X-Forwarded-Proto https). */
  async function loginThroughProxy(
    panel: TestPanel,
    username: string,
    password: string,
    forwardedFor: string,
  ) {
    return fetch(`${panel.baseUrl}/web-api/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': forwardedFor,
        'x-forwarded-proto': 'https',
      },
      body: JSON.stringify({ username, password }),
    });
  }

  async function failureAddresses(panel: TestPanel, username: string): Promise<string[]> {
    const rows = await panel.db.all<{ address: string }>(addressesOfFailures, [username]);
    return rows.map((row) => row.address);
  }

  it.each<[string, TrustProxy]>([
    ['a hop count', 1],
    ['the proxy address', ['127.0.0.1']],
    ['a CIDR', ['127.0.0.0/8', '10.0.0.0/8']],
    ['a named range', ['loopback']],
  ])('trusting %s: the client address and https come from the proxy headers', async (_name, trust) => {
    const panel = await panelTrusting(trust);
    const user = await webUser(panel);
    // A spoofed entry the client added in front of what nginx appended is not believed with a hop count.
    const failed = await loginThroughProxy(
      panel,
      user.username,
      'wrong-password',
      '198.51.100.9, 203.0.113.7',
    );
    expect(failed.status).toBe(401);
    expect(await failureAddresses(panel, user.username)).toEqual(['203.0.113.7']);

    const ok = await loginThroughProxy(panel, user.username, user.password, '203.0.113.7');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/; Secure$/);
    expect(ok.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it.each<[string, TrustProxy]>([
    ['no proxy (the default)', false],
    ['another proxy address', ['10.1.2.3']],
  ])('trusting %s: the headers are ignored, the connection is what counts', async (_name, trust) => {
    const panel = await panelTrusting(trust);
    const user = await webUser(panel);
    const failed = await loginThroughProxy(panel, user.username, 'wrong-password', '203.0.113.7');
    expect(failed.status).toBe(401);
    expect(await failureAddresses(panel, user.username)).toEqual(['127.0.0.1']);
    const ok = await loginThroughProxy(panel, user.username, user.password, '203.0.113.7');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).not.toContain('Secure');
    expect(ok.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('finding 8: slow clients and connection counts', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start({
      http: {
        connectionLimits: {
          headersTimeoutMs: 1000,
          requestTimeoutMs: 3000,
          keepAliveTimeoutMs: 500,
          maxConnections: 3,
        },
      },
    });
  });
  afterAll(() => panel.close());

  const port = () => Number(new URL(panel.baseUrl).port);

  /** Connects and reports what the server sent and when it closed the connection (ms after connecting). */
  function connect(): { socket: Socket; closed: Promise<{ after: number; received: string }> } {
    const socket = createConnection({ host: '127.0.0.1', port: port() });
    const started = Date.now();
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    const closed = new Promise<{ after: number; received: string }>((resolve) =>
      socket.on('close', () => resolve({ after: Date.now() - started, received })),
    );
    return { socket, closed };
  }

  it('cuts off a client trickling its headers once the header timeout passes', async () => {
    const { socket, closed } = connect();
    await once(socket, 'connect');
    socket.write('GET /healthz HTTP/1.1\r\nHost: panel\r\n');
    const trickle = setInterval(() => socket.writable && socket.write('X-Slow: a\r\n'), 200);
    const result = await Promise.race([closed, sleep(8000).then(() => null)]);
    clearInterval(trickle);
    socket.destroy();
    expect(result, 'still connected after 8 s').not.toBeNull();
    expect(result!.after).toBeGreaterThanOrEqual(900);
    expect(result!.after).toBeLessThan(4000);
    expect(result!.received).not.toContain('200 OK');
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const { socket, closed } = connect();
    await once(socket, 'connect');
    socket.write('GET /healthz HTTP/1.1\r\nHost: panel\r\n\r\n');
    const result = await Promise.race([closed, sleep(5000).then(() => null)]);
    socket.destroy();
    expect(result).not.toBeNull();
    expect(result!.received).toContain('HTTP/1.1 200 OK');
    expect(result!.after).toBeLessThan(3000);
  });

  it('refuses connections beyond the cap and serves again once they close', async () => {
    const held = Array.from({ length: 3 }, () => connect());
    await Promise.all(held.map(({ socket }) => once(socket, 'connect')));
    // Give the server the time to count them.
    await sleep(100);
    const extra = connect();
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: panel\r\n\r\n');
    const refused = await Promise.race([extra.closed, sleep(3000).then(() => null)]);
    expect(refused, 'the extra connection was served').not.toBeNull();
    expect(refused!.received).toBe('');
    for (const { socket } of held) socket.destroy();
    await Promise.all(held.map(({ closed }) => closed));
    await sleep(100);
    const response = await fetch(`${panel.baseUrl}/healthz`);
    expect(response.status).toBe(200);
  });

  it('still serves ordinary requests, API v2 included', async () => {
    const user = await panel.customer('1');
    expect((await panel.api({ key: user.apiKey, action: 'balance' })).json.balance).toBe('1.00000');
    expect((await fetch(`${panel.baseUrl}/readyz`)).status).toBe(200);
  });
});
