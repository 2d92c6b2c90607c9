import { describe, expect, it } from 'vitest';
import { json, recordingSleep, startFakePanel } from '../test/fake-panel.js';
import type { Reply } from '../test/fake-panel.js';
import { SmmApiClient } from './client.js';
import type { SmmApiClientOptions } from './client.js';
import { SmmApiError, SmmHttpError, SmmResponseError, SmmTimeoutError } from './errors.js';

const unavailable = json({ error: 'Service unavailable' }, 503);
const pendingOrder = {
  charge: '0.90000',
  start_count: '0',
  status: 'Pending',
  remains: '1000',
  currency: 'USD',
};

async function setUp(replies: Reply | Reply[], options: Partial<SmmApiClientOptions> = {}) {
  const panel = await startFakePanel(replies);
  const { sleep, waits } = recordingSleep();
  const client = new SmmApiClient({ url: panel.url, key: 'key', sleep, ...options });
  return { panel, client, waits };
}

describe('read-only actions are retried', () => {
  it('status succeeds after a 503, having waited the base delay', async () => {
    const { panel, client, waits } = await setUp([unavailable, json(pendingOrder)]);

    expect(await client.status(1)).toStrictEqual(pendingOrder);

    expect(panel.requests).toHaveLength(2);
    expect(panel.requests[1]!.body).toBe(panel.requests[0]!.body);
    expect(waits).toEqual([250]);
  });

  it('gives up after `retries` retries with exponential backoff, throwing the last error', async () => {
    const { panel, client, waits } = await setUp(unavailable);

    const error = await client.balance().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SmmHttpError);
    expect((error as SmmHttpError).status).toBe(503);
    expect(panel.requests).toHaveLength(3);
    expect(waits).toEqual([250, 500]);
  });

  it('honours the retries and retryBaseDelayMs options', async () => {
    const { panel, client, waits } = await setUp(unavailable, { retries: 3, retryBaseDelayMs: 10 });

    await expect(client.services()).rejects.toBeInstanceOf(SmmHttpError);

    expect(panel.requests).toHaveLength(4);
    expect(waits).toEqual([10, 20, 40]);
  });

  it('retries: 0 sends once', async () => {
    const { panel, client, waits } = await setUp(unavailable, { retries: 0 });
    await expect(client.status(1)).rejects.toBeInstanceOf(SmmHttpError);
    expect(panel.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('waits what Retry-After asks after a 429', async () => {
    const { panel, client, waits } = await setUp([
      json({ error: 'Too many requests' }, 429, { 'Retry-After': '2' }),
      json({ balance: '1.00000', currency: 'USD' }),
    ]);

    expect(await client.balance()).toStrictEqual({ balance: '1.00000', currency: 'USD' });

    expect(panel.requests).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it('does not wait for a Retry-After beyond maxRetryAfterMs, and throws it to the caller', async () => {
    const { panel, client, waits } = await setUp(
      json({ error: 'Too many requests' }, 429, { 'Retry-After': '120' }),
      { maxRetryAfterMs: 60_000 },
    );

    const error = await client.balance().catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'SmmHttpError', status: 429, retryAfterMs: 120_000 });
    expect(panel.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('retries refill_status and multi status after a timeout', async () => {
    const { panel, client, waits } = await setUp(['hang', json({ status: 'Completed' })], { timeoutMs: 100 });

    expect(await client.refillStatus(3)).toStrictEqual({ status: 'Completed' });

    expect(panel.requests).toHaveLength(2);
    expect(waits).toEqual([250]);
  });

  it('retries a dropped connection', async () => {
    const { panel, client } = await setUp(['drop', json({})]);
    expect(await client.statuses([1])).toStrictEqual({});
    expect(panel.requests).toHaveLength(2);
  });

  it('does not retry an API error, a 4xx or an unreadable answer', async () => {
    for (const reply of [json({ error: 'Invalid API key' }), { status: 404, body: 'no' }, { body: 'oops' }]) {
      const { panel, client } = await setUp(reply);
      await expect(client.balance()).rejects.toSatisfy(
        (e) => e instanceof SmmApiError || e instanceof SmmHttpError || e instanceof SmmResponseError,
      );
      expect(panel.requests).toHaveLength(1);
    }
  });
});

describe('add', () => {
  const order = { type: 'Default', service: 1, link: 'https://x.test/p', quantity: 100 } as const;

  it('without requestId is not retried after a 503', async () => {
    const { panel, client, waits } = await setUp([unavailable, json({ order: 2 })]);

    const error = await client.add(order).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SmmHttpError);
    expect(panel.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('without requestId is not retried after a timeout', async () => {
    const { panel, client, waits } = await setUp(['hang', json({ order: 2 })], { timeoutMs: 100 });

    const error = await client.add(order).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SmmTimeoutError);
    expect(panel.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('without requestId is not retried after a 429 either', async () => {
    const { panel, client } = await setUp([json({ error: 'Too many requests' }, 429), json({ order: 2 })]);
    await expect(client.add(order)).rejects.toBeInstanceOf(SmmHttpError);
    expect(panel.requests).toHaveLength(1);
  });

  it('with requestId is retried after a 503, sending the same request_id', async () => {
    const { panel, client, waits } = await setUp([unavailable, json({ order: 23501 })]);

    expect(await client.add({ ...order, requestId: 'abc-1' })).toStrictEqual({ order: 23501 });

    expect(panel.requests).toHaveLength(2);
    expect(panel.requests[0]!.form).toContainEqual(['request_id', 'abc-1']);
    expect(panel.requests[1]!.body).toBe(panel.requests[0]!.body);
    expect(waits).toEqual([250]);
  });

  it('with requestId is retried after a timeout', async () => {
    const { panel, client } = await setUp(['hang', json({ order: 23501 })], { timeoutMs: 100 });
    expect(await client.add({ ...order, requestId: 'abc-2' })).toStrictEqual({ order: 23501 });
    expect(panel.requests).toHaveLength(2);
  });

  it('with requestId is not retried after an API error', async () => {
    const { panel, client } = await setUp(json({ error: 'request_id was used with other parameters' }));
    await expect(client.add({ ...order, requestId: 'abc-3' })).rejects.toThrow(
      new SmmApiError('request_id was used with other parameters', 'add', 200),
    );
    expect(panel.requests).toHaveLength(1);
  });
});

describe('refill and cancel are never retried', () => {
  it.each([
    ['cancel', (c: SmmApiClient) => c.cancel([1, 2])],
    ['refill', (c: SmmApiClient) => c.refill(1)],
    ['refills', (c: SmmApiClient) => c.refills([1, 2])],
  ])('%s after a 503', async (_name, call) => {
    const { panel, client, waits } = await setUp([unavailable, json([])]);

    await expect(call(client)).rejects.toBeInstanceOf(SmmHttpError);

    expect(panel.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('cancel after a timeout', async () => {
    const { panel, client } = await setUp(['hang', json([])], { timeoutMs: 100 });
    await expect(client.cancel([1])).rejects.toBeInstanceOf(SmmTimeoutError);
    expect(panel.requests).toHaveLength(1);
  });
});
