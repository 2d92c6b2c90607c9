import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { placeOrder } from '../../src/app/orders/place-order.js';
import { updateRefillStatus } from '../../src/app/refills/update-refill-status.js';
import { deliverWebhooks } from '../../src/app/webhooks/deliver-webhooks.js';
import { systemResolver } from '../../src/app/webhooks/public-url.js';
import { sql } from '../../src/store/database.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { TestPanel } from '../support/test-panel.js';
import { webUser } from '../support/web-client.js';
import { type ReceiverAnswer, WebhookReceiver as Receiver } from '../support/webhook-receiver.js';

type Answer = ReceiverAnswer;

const allowPrivate = { allowPrivate: true, resolve: systemResolver };
const strict = { allowPrivate: false, resolve: systemResolver };
const countAttempts = sql('SELECT COUNT(*) AS n FROM webhook_attempts WHERE endpoint_id = ?');
const countDeliveries = sql('SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = ?');
const countEndpoints = sql('SELECT COUNT(*) AS n FROM webhook_endpoints WHERE user_id = ?');

describe('webhooks', () => {
  let panel: TestPanel;
  let receiver: Receiver;
  beforeAll(async () => {
    panel = await TestPanel.start({ allowPrivateUrls: true });
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await receiver.close();
    await panel.close();
  });

  async function count(statement: ReturnType<typeof sql>, id: number): Promise<number> {
    return Number((await panel.db.get<{ n: bigint }>(statement, [id]))!.n);
  }

  /** A customer with a balance, an endpoint on the receiver and one manual order. */
  async function subscribed(events = ['order.updated']) {
    const customer = await webUser(panel);
    await panel.fund({ ...customer, apiKey: customer.apiKey }, '100');
    const created = await customer.web.post('/webhooks', { url: receiver.url, events });
    expect(created.status).toBe(200);
    const service = await panel.createService();
    const ctx = panel.panel.contextFor({ userId: customer.id });
    const placed = await placeOrder(ctx, {
      userId: customer.id,
      params: { service: String(service), link: 'https://example.com/p', quantity: '100' },
    });
    if (!placed.ok) throw new Error(placed.failure.code);
    return {
      customer,
      endpoint: created.json.id as number,
      secret: created.json.secret as string,
      order: placed.value.order,
    };
  }

  const deliver = (options: { timeoutMs?: number } = {}) =>
    deliverWebhooks(panel.panel.ctx, { policy: allowPrivate, ...options });

  it('registers, lists without the secret, rotates, disables and deletes; only the owner sees an endpoint', async () => {
    const customer = await webUser(panel);
    const created = await customer.web.post('/webhooks', { url: receiver.url, events: ['order.updated'] });
    expect(created.status).toBe(200);
    expect(created.json.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const id = created.json.id as number;
    const listed = await customer.web.get('/webhooks');
    expect(listed.json.events).toEqual(['order.updated', 'refill.updated', 'deposit.paid', 'balance.low']);
    expect(listed.json.balanceLowThreshold).toBeNull();
    expect(listed.json.webhooks).toEqual([
      {
        id,
        url: receiver.url,
        events: ['order.updated'],
        enabled: true,
        failingSince: null,
        disabledReason: null,
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(listed.json)).not.toContain('whsec_');

    const rotated = await customer.web.request('PATCH', `/webhooks/${id}`, {
      rotateSecret: true,
      events: ['refill.updated', 'order.updated'],
      enabled: false,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(created.json.secret);
    expect(rotated.json.webhook).toMatchObject({
      enabled: false,
      events: ['order.updated', 'refill.updated'],
    });
    const plain = await customer.web.request('PATCH', `/webhooks/${id}`, { enabled: true });
    expect(plain.json.secret).toBeNull();

    const other = await webUser(panel);
    for (const [method, path, body] of [
      ['PATCH', `/webhooks/${id}`, { enabled: false }],
      ['DELETE', `/webhooks/${id}`, {}],
      ['POST', `/webhooks/${id}/test`, {}],
      ['GET', `/webhooks/${id}/deliveries`, undefined],
    ] as const) {
      const refused = await other.web.request(method, path, body);
      expect(refused.status, `${method} ${path}`).toBe(404);
      expect(refused.json.code).toBe('WEBHOOK_NOT_FOUND');
    }
    expect((await other.web.get('/webhooks')).json.webhooks).toEqual([]);

    const bad = await customer.web.post('/webhooks', { url: receiver.url, events: ['order.deleted'] });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain('unknown event "order.deleted"');
    expect(
      (await customer.web.post('/webhooks', { url: 'ftp://x.example/', events: ['order.updated'] })).status,
    ).toBe(400);

    const deleted = await customer.web.request('DELETE', `/webhooks/${id}`, {});
    expect(deleted.json).toEqual({ deleted: true });
    expect((await customer.web.get('/webhooks')).json.webhooks).toEqual([]);
    expect((await customer.web.request('DELETE', `/webhooks/${id}`, {})).status).toBe(404);
  });

  it('delivers an order’s status changes signed, in sequence, with the fields of API v2 status', async () => {
    receiver.received.length = 0;
    const { customer, secret, order } = await subscribed();
    const ctx = panel.ctx;
    expect((await updateOrderStatus(ctx, { orderId: order, status: 'In progress', startCount: 40 })).ok).toBe(
      true,
    );
    expect((await updateOrderStatus(ctx, { orderId: order, status: 'Partial', remains: 30 })).ok).toBe(true);
    expect(await deliver()).toBe(2);

    const messages = receiver.verified(secret);
    expect(messages.map((message) => message.type)).toEqual(['order.updated', 'order.updated']);
    expect(messages.map((message) => message.data)).toEqual([
      {
        order,
        sequence: 1,
        charge: '0.09000',
        start_count: '40',
        status: 'In progress',
        remains: '100',
        currency: 'USD',
      },
      {
        order,
        sequence: 2,
        charge: '0.06300',
        start_count: '40',
        status: 'Partial',
        remains: '30',
        currency: 'USD',
      },
    ]);
    expect(new Set(messages.map((message) => message.id)).size).toBe(2);
    // The status answer of API v2 says the same.
    const status = await panel.api({ key: customer.apiKey, action: 'status', order });
    expect(status.json).toEqual({
      charge: '0.06300',
      start_count: '40',
      status: 'Partial',
      remains: '30',
      currency: 'USD',
    });
    expect(await deliver()).toBe(0);
  });

  it('a receiver answering 500, 500 then 200 gets the same webhook-id three times, on the retry schedule', async () => {
    receiver.received.length = 0;
    const { customer, endpoint, secret, order } = await subscribed();
    receiver.answers = [
      { status: 500, body: 'down' },
      { status: 500, body: 'still down' },
      { status: 200, body: 'ok' },
    ];
    expect((await updateOrderStatus(panel.ctx, { orderId: order, status: 'In progress' })).ok).toBe(true);
    expect(await deliver()).toBe(1);
    expect(await deliver()).toBe(0); // the retry waits 5 s
    panel.clock.advance(5000);
    expect(await deliver()).toBe(1);
    panel.clock.advance(4 * 60_000);
    expect(await deliver()).toBe(0); // then 5 min
    panel.clock.advance(60_000);
    expect(await deliver()).toBe(1);
    panel.clock.advance(24 * 3600_000);
    expect(await deliver()).toBe(0);

    const messages = receiver.verified(secret);
    expect(messages).toHaveLength(3);
    expect(new Set(messages.map((message) => message.id)).size).toBe(1);
    expect(messages[0]!.id).toMatch(/^msg_/);

    const log = await customer.web.get(`/webhooks/${endpoint}/deliveries`);
    expect(
      log.json.attempts.map((a: { attempt: number; status: number; response: string; state: string }) => [
        a.attempt,
        a.status,
        a.response,
        a.state,
      ]),
    ).toEqual([
      [3, 200, 'ok', 'delivered'],
      [2, 500, 'still down', 'delivered'],
      [1, 500, 'down', 'delivered'],
    ]);
    const listed = await customer.web.get('/webhooks');
    expect(listed.json.webhooks[0]).toMatchObject({ enabled: true, failingSince: null });
  });

  it('a receiver that hangs is timed out, logged, and retried later', async () => {
    receiver.received.length = 0;
    const { customer, endpoint, order } = await subscribed();
    receiver.answers = ['hang'];
    expect((await updateOrderStatus(panel.ctx, { orderId: order, status: 'In progress' })).ok).toBe(true);
    const started = Date.now();
    expect(await deliver({ timeoutMs: 300 })).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
    const log = await customer.web.get(`/webhooks/${endpoint}/deliveries`);
    expect(log.json.attempts).toMatchObject([
      { attempt: 1, status: null, error: 'no answer within 300 ms', state: 'pending' },
    ]);
    expect(log.json.attempts[0].durationMs).toBeGreaterThanOrEqual(290);
    panel.clock.advance(5000);
    expect(await deliver()).toBe(1);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);
  });

  it('a customer deleting the endpoint during a call loses nothing else: the attempt is dropped with it', async () => {
    receiver.received.length = 0;
    const { customer, endpoint, order } = await subscribed();
    receiver.answers = ['hang'];
    expect((await updateOrderStatus(panel.ctx, { orderId: order, status: 'In progress' })).ok).toBe(true);
    const running = deliver({ timeoutMs: 500 });
    while (receiver.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await customer.web.request('DELETE', `/webhooks/${endpoint}`, {})).status).toBe(200);
    expect(await running).toBe(1);
    expect(await count(countAttempts, endpoint)).toBe(0);
    expect(await count(countDeliveries, endpoint)).toBe(0);
  });

  it('does not follow redirects', async () => {
    receiver.received.length = 0;
    const { customer, endpoint, order } = await subscribed();
    receiver.answers = [{ status: 302, body: '' }];
    expect((await updateOrderStatus(panel.ctx, { orderId: order, status: 'In progress' })).ok).toBe(true);
    expect(await deliver()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const log = await customer.web.get(`/webhooks/${endpoint}/deliveries`);
    expect(log.json.attempts).toMatchObject([{ status: 302, state: 'pending' }]);
    panel.clock.advance(5000);
    expect(await deliver()).toBe(1);
  });

  it('two workers never deliver the same attempt twice', async () => {
    receiver.received.length = 0;
    const { customer, endpoint, secret } = await subscribed();
    const service = await panel.createService();
    const ctx = panel.panel.contextFor({ userId: customer.id });
    const orders: number[] = [];
    for (let i = 0; i < 30; i++) {
      const placed = await placeOrder(ctx, {
        userId: customer.id,
        params: { service: String(service), link: `https://example.com/${i}`, quantity: '100' },
      });
      if (!placed.ok) throw new Error(placed.failure.code);
      orders.push(placed.value.order);
    }
    for (const order of orders) {
      expect((await updateOrderStatus(panel.ctx, { orderId: order, status: 'In progress' })).ok).toBe(true);
    }
    const secondDb = openDatabase(parseDatabaseUrl(panel.database.url));
    try {
      const second = { ...panel.panel.ctx, db: secondDb };
      const runs = await Promise.all([
        deliver(),
        deliverWebhooks(second, { policy: allowPrivate }),
        deliver(),
        deliverWebhooks(second, { policy: allowPrivate }),
      ]);
      expect(runs.reduce((a, b) => a + b, 0)).toBe(30);
    } finally {
      await secondDb.close();
    }
    const ids = receiver.verified(secret).map((message) => message.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect(await count(countAttempts, endpoint)).toBe(30);
    expect(await count(countDeliveries, endpoint)).toBe(30);
  });

  it('an order’s updates arrive in sequence: two workers, a slow receiver and a failed first attempt', async () => {
    receiver.received.length = 0;
    const { customer, secret, order: first } = await subscribed();
    const service = await panel.createService();
    const ctx = panel.panel.contextFor({ userId: customer.id });
    const orders = [first];
    for (let i = 0; i < 5; i++) {
      const placed = await placeOrder(ctx, {
        userId: customer.id,
        params: { service: String(service), link: `https://example.com/seq${i}`, quantity: '100' },
      });
      if (!placed.ok) throw new Error(placed.failure.code);
      orders.push(placed.value.order);
    }
    const moves = [
      { status: 'In progress', startCount: 10 },
      { status: 'Processing' },
      { status: 'Partial', remains: 40 },
    ] as const;
    for (const move of moves) {
      for (const order of orders) {
        expect((await updateOrderStatus(panel.ctx, { orderId: order, ...move })).ok).toBe(true);
      }
    }
    // The first request fails (its update is retried in 5 s), every answer takes a while.
    receiver.answers = [{ status: 500, delayMs: 30 }];
    receiver.otherwise = { status: 204, delayMs: 30 };
    const secondDb = openDatabase(parseDatabaseUrl(panel.database.url));
    try {
      const second = { ...panel.panel.ctx, db: secondDb };
      const both = () => Promise.all([deliver(), deliverWebhooks(second, { policy: allowPrivate })]);
      await both();
      panel.clock.advance(5000);
      await both();
    } finally {
      receiver.otherwise = { status: 204 };
      await secondDb.close();
    }
    const messages = receiver.verified(secret);
    const failed = messages[0]!;
    const delivered = messages.slice(1);
    expect(delivered).toHaveLength(orders.length * moves.length);
    for (const order of orders) {
      const arrived = delivered.filter((message) => message.data.order === order);
      expect(arrived.map((message) => message.data.sequence)).toEqual([1, 2, 3]);
      expect(arrived.map((message) => message.data.status)).toEqual(['In progress', 'Processing', 'Partial']);
    }
    // The failed one came again, with its id, before its order's next update.
    const again = delivered.filter((message) => message.id === failed.id);
    expect(again).toHaveLength(1);
    expect(again[0]!.data).toEqual(failed.data);
  });

  it('tells refill.updated subscribers of a refill’s status, and only them', async () => {
    receiver.received.length = 0;
    const customer = await webUser(panel);
    await panel.fund({ ...customer, apiKey: customer.apiKey }, '100');
    const refills = await customer.web.post('/webhooks', { url: receiver.url, events: ['refill.updated'] });
    const service = await panel.createService({ refill: true });
    const placed = await placeOrder(panel.panel.contextFor({ userId: customer.id }), {
      userId: customer.id,
      params: { service: String(service), link: 'https://example.com/r', quantity: '100' },
    });
    if (!placed.ok) throw new Error(placed.failure.code);
    const order = placed.value.order;
    expect((await updateOrderStatus(panel.ctx, { orderId: order, status: 'Completed' })).ok).toBe(true);
    const asked = await panel.api({ key: customer.apiKey, action: 'refill', order });
    const refill = Number(asked.json.refill);
    expect(refill).toBeGreaterThan(0);
    expect((await updateRefillStatus(panel.ctx, { refillId: refill, status: 'Completed' })).ok).toBe(true);
    // The order's own change went to nobody: this endpoint takes refill events only.
    expect(await deliver()).toBe(1);
    const [message] = receiver.verified(refills.json.secret as string);
    expect(message).toMatchObject({
      type: 'refill.updated',
      data: { refill, order, status: 'Completed' },
    });
  });

  it('sends a test event on demand', async () => {
    receiver.received.length = 0;
    const { customer, endpoint, secret } = await subscribed();
    const queued = await customer.web.post(`/webhooks/${endpoint}/test`);
    expect(queued.json.messageId).toMatch(/^msg_/);
    expect(await deliver()).toBe(1);
    const [message] = receiver.verified(secret);
    expect(message).toMatchObject({ id: queued.json.messageId, type: 'webhook.test', data: { endpoint } });
  });

  it('disables an endpoint after a day of failures', async () => {
    receiver.received.length = 0;
    const { customer, order } = await subscribed();
    receiver.answers = new Array<Answer>(20).fill({ status: 503 });
    expect((await updateOrderStatus(panel.ctx, { orderId: order, status: 'In progress' })).ok).toBe(true);
    for (let i = 0; i < 8; i++) {
      await deliver();
      panel.clock.advance(10 * 3600_000);
    }
    const listed = (await customer.web.get('/webhooks')).json.webhooks[0];
    expect(listed).toMatchObject({ enabled: false, disabledReason: 'every delivery failed for a day' });
    expect(listed.failingSince).not.toBeNull();
    expect(receiver.received.length).toBeGreaterThanOrEqual(4);
    receiver.answers = [];
  });

  it('no endpoint, no outbox row: a status change of a user without webhooks writes nothing', async () => {
    const user = await panel.customer('10');
    const service = await panel.createService();
    const placed = await placeOrder(panel.panel.contextFor({ userId: user.id }), {
      userId: user.id,
      params: { service: String(service), link: 'https://example.com/none', quantity: '100' },
    });
    if (!placed.ok) throw new Error(placed.failure.code);
    expect(
      (await updateOrderStatus(panel.ctx, { orderId: placed.value.order, status: 'Completed' })).ok,
    ).toBe(true);
    expect(await count(countEndpoints, user.id)).toBe(0);
    expect(await deliver()).toBe(0);
  });
});

describe('webhooks without SMMKIT_ALLOW_PRIVATE_URLS', () => {
  let panel: TestPanel;
  let receiver: Receiver;
  beforeAll(async () => {
    panel = await TestPanel.start();
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await receiver.close();
    await panel.close();
  });

  it('refuses a loopback or private URL when saved', async () => {
    const customer = await webUser(panel);
    for (const url of [
      receiver.url,
      'http://localhost:9/x',
      'http://[::1]/x',
      'http://169.254.169.254/latest',
      'http://10.1.2.3/',
    ]) {
      const refused = await customer.web.post('/webhooks', { url, events: ['order.updated'] });
      expect(refused.status, url).toBe(400);
      expect(refused.json.code).toBe('INVALID_INPUT');
      expect(refused.json.error).toContain('not a public address');
    }
    expect((await customer.web.get('/webhooks')).json.webhooks).toEqual([]);
    const created = await customer.web.post('/webhooks', {
      url: 'https://93.184.216.34/hook',
      events: ['order.updated'],
    });
    expect(created.status).toBe(200);
    const moved = await customer.web.request('PATCH', `/webhooks/${created.json.id}`, { url: receiver.url });
    expect(moved.status).toBe(400);
    expect(moved.json.error).toContain('not a public address');
  });

  it('refuses it again at delivery: nothing reaches a loopback receiver', async () => {
    // Saved while allowed (a deployment that turned the setting off since): the delivery checks again.
    const open = await TestPanel.start({ allowPrivateUrls: true });
    try {
      const customer = await webUser(open);
      const created = await customer.web.post('/webhooks', { url: receiver.url, events: ['order.updated'] });
      expect(created.status).toBe(200);
      await customer.web.post(`/webhooks/${created.json.id}/test`);
      expect(await deliverWebhooks(open.panel.ctx, { policy: strict })).toBe(1);
      expect(receiver.received).toHaveLength(0);
      const log = await customer.web.get(`/webhooks/${created.json.id}/deliveries`);
      expect(log.json.attempts).toMatchObject([
        { status: null, state: 'pending', error: expect.stringContaining('not a public address') },
      ]);
    } finally {
      await open.close();
    }
  });
});
