import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestPanel } from '../support/test-panel.js';

/** Issue 13, the operational findings over real HTTP: 6 (metrics and readiness). */

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
