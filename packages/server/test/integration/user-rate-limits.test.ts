import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { TestPanel } from '../support/test-panel.js';
import { webUser } from '../support/web-client.js';

/**
 * Finding 4 of issue 13: limits counted per key, a customer could create any number of keys, and
 * the web quote and order endpoints had no limit. Now one count per user (every key and the web
 * ordering together), at most SMMKIT_MAX_API_KEYS (10) active keys per user, race-safe.
 */

const countOrders = sql('SELECT COUNT(*) AS count FROM orders WHERE user_id = ?');
const countActiveKeys = sql(
  'SELECT COUNT(*) AS count FROM api_keys WHERE user_id = ? AND revoked_at IS NULL',
);

describe('per-user rate limits', () => {
  let panel: TestPanel;
  let service: number;
  beforeAll(async () => {
    panel = await TestPanel.start({ rateLimitPerMinute: 4 });
    service = await panel.createService();
  });
  afterAll(() => panel.close());

  async function count(statement: ReturnType<typeof sql>, userId: number): Promise<number> {
    return Number((await panel.db.get<{ count: bigint | number }>(statement, [userId]))!.count);
  }

  it('counts every key of a user together: more keys are not more requests', async () => {
    const user = await webUser(panel);
    const second = await user.web.post('/api-keys');
    const third = await user.web.post('/api-keys');
    const keys = [user.apiKey, second.json.apiKey as string, third.json.apiKey as string];
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      statuses.push((await panel.api({ key: keys[i % 3]!, action: 'balance' })).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.slice(4)).toEqual([429, 429, 429, 429, 429]);
    // Another user is not held back; the next minute is free again.
    const other = await panel.customer();
    expect((await panel.api({ key: other.apiKey, action: 'balance' })).status).toBe(200);
    panel.clock.advance(60_000);
    expect((await panel.api({ key: keys[2]!, action: 'balance' })).status).toBe(200);
    panel.clock.advance(60_000);
  });

  it('counts the web quote and order endpoints with the API requests, and a refused order does nothing', async () => {
    const user = await webUser(panel);
    await panel.fund(user, '10');
    const params = { service: String(service), link: 'https://x.com/a', quantity: '100' };
    expect((await panel.api({ key: user.apiKey, action: 'balance' })).status).toBe(200);
    expect((await user.web.post('/orders/quote', { params })).status).toBe(200);
    expect((await user.web.post('/orders', { params })).status).toBe(200);
    expect((await user.web.post('/orders/mass', { orders: `${service}|https://x.com/b|100` })).status).toBe(
      200,
    );
    const orders = await count(countOrders, user.id);

    for (const [path, body] of [
      ['/orders/quote', { params }],
      ['/orders', { params }],
      ['/orders/mass', { orders: `${service}|https://x.com/c|100` }],
    ] as const) {
      const response = await fetch(`${panel.baseUrl}/web-api${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: user.web.cookie!,
          'x-csrf-token': user.web.csrfToken!,
        },
        body: JSON.stringify(body),
      });
      expect(response.status, path).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await response.json()).toEqual({ error: 'Too many requests', code: 'RATE_LIMITED' });
    }
    expect((await panel.api({ key: user.apiKey, action: 'balance' })).status).toBe(429);
    expect(await count(countOrders, user.id)).toBe(orders);
    // Reading pages is not limited.
    expect((await user.web.get('/orders')).status).toBe(200);
    panel.clock.advance(60_000);
  });
});

describe('API keys per user', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  const active = async (userId: number) =>
    Number((await panel.db.get<{ count: bigint | number }>(countActiveKeys, [userId]))!.count);

  it('stops at 10 active keys, and revoking one makes room', async () => {
    const user = await webUser(panel);
    expect(await active(user.id)).toBe(1);
    for (let i = 0; i < 9; i++) expect((await user.web.post('/api-keys')).status).toBe(200);
    const refused = await user.web.post('/api-keys');
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      error: 'You may have at most 10 active API keys: revoke one first',
      code: 'API_KEY_LIMIT',
      params: { max: 10 },
    });
    expect(await active(user.id)).toBe(10);
    const keys = (await user.web.get('/api-keys')).json.keys as { id: number; revokedAt: string | null }[];
    expect((await user.web.post(`/api-keys/${keys[0]!.id}/revoke`)).status).toBe(200);
    expect((await user.web.post('/api-keys')).status).toBe(200);
    expect(await active(user.id)).toBe(10);
    // Rotating replaces a key: it never needs room.
    expect((await user.web.post(`/api-keys/${keys[1]!.id}/rotate`)).status).toBe(200);
    expect(await active(user.id)).toBe(10);
  });

  it('holds under 24 concurrent creations: never more than 10', async () => {
    const user = await webUser(panel);
    const results = await Promise.all(Array.from({ length: 24 }, () => user.web.post('/api-keys')));
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect(results.filter((r) => r.status === 400)).toHaveLength(15);
    expect(await active(user.id)).toBe(10);
  });
});
