import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDueRuns } from '../../src/app/dripfeed/create-due-runs.js';
import { addFunds } from '../../src/app/funds/add-funds.js';
import { purgeWebhookLog } from '../../src/app/housekeeping/purge-webhook-log.js';
import { placeOrder } from '../../src/app/orders/place-order.js';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { applyGatewayEvent } from '../../src/app/payments/apply-gateway-event.js';
import { recordPost } from '../../src/app/subscriptions/record-post.js';
import { createUser } from '../../src/app/users/create-user.js';
import { createWebhook } from '../../src/app/webhooks/create-webhook.js';
import { deliverWebhooks } from '../../src/app/webhooks/deliver-webhooks.js';
import { listWebhookDeliveries } from '../../src/app/webhooks/list-webhook-deliveries.js';
import { sendTestEvent } from '../../src/app/webhooks/send-test-event.js';
import { systemResolver } from '../../src/app/webhooks/public-url.js';
import { parseMoney } from '../../src/domain/money.js';
import { listOutboxEmails } from '../../src/store/email-outbox.js';
import { TestPanel } from '../support/test-panel.js';
import { webUser } from '../support/web-client.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The events beyond an order's status change: deposit.paid (both ways a deposit gets paid),
 * balance.low (a threshold the customer sets, crossed once), order.updated for drip-feed runs and
 * subscription posts; the owner emailed when an endpoint is disabled; the log kept 30 days.
 */
const allowPrivate = { allowPrivate: true, resolve: systemResolver };
const DAY = 24 * 3600_000;
const money = (text: string) => parseMoney(text)!;

describe('webhook events', () => {
  let panel: TestPanel;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    panel = await TestPanel.start({ allowPrivateUrls: true });
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
    await panel.close();
  });

  const deliver = () => deliverWebhooks(panel.panel.ctx, { policy: allowPrivate });

  /** A customer with an endpoint on the receiver for `events`; the receiver's log starts empty. */
  async function listener(events: string[]) {
    receiver.received.length = 0;
    const customer = await webUser(panel);
    const created = await customer.web.post('/webhooks', { url: receiver.url, events });
    expect(created.status).toBe(200);
    return { customer, endpoint: created.json.id as number, secret: created.json.secret as string };
  }

  it('deposit.paid when the admin approves a deposit and when its gateway says it is paid, once each', async () => {
    const admin = (await webUser(panel, 'admin')).web;
    const method = await admin.post('/admin/payment-methods', {
      gateway: 'manual',
      name: 'Bank transfer',
      bonus: '20:1',
    });
    expect(method.status).toBe(200);
    const { customer, secret } = await listener(['deposit.paid']);

    const approved = await customer.web.post('/deposits', { method: method.json.id, amount: '25' });
    expect(approved.status).toBe(200);
    expect(await deliver()).toBe(0); // pending: nothing paid yet
    expect((await admin.post(`/admin/deposits/${approved.json.id}/approve`)).status).toBe(200);

    const notified = await customer.web.post('/deposits', { method: method.json.id, amount: '10' });
    const event = {
      kind: 'paid' as const,
      eventId: 'evt-1',
      paymentId: `pay-${notified.json.id}`,
      depositId: notified.json.id as number,
      amount: '10.00',
      currency: 'USD',
    };
    const gateway = { id: method.json.id as number, gateway: 'manual' };
    expect(await applyGatewayEvent(panel.ctx, gateway, event)).toBe('credited');
    // The gateway says it again: credited once, told once.
    expect(await applyGatewayEvent(panel.ctx, gateway, event)).toBe('unchanged');

    expect(await deliver()).toBe(2);
    expect(receiver.verified(secret).map(({ type, data }) => ({ type, data }))).toEqual([
      {
        type: 'deposit.paid',
        data: {
          deposit: approved.json.id,
          amount: '25.00000',
          bonus: '0.25000',
          method: 'Bank transfer',
          currency: 'USD',
        },
      },
      {
        type: 'deposit.paid',
        data: {
          deposit: notified.json.id,
          amount: '10.00000',
          bonus: '0.00000',
          method: 'Bank transfer',
          currency: 'USD',
        },
      },
    ]);
  });

  it('balance.low: fires once when a change takes the balance below the threshold, again only after it went back up', async () => {
    const { customer, secret } = await listener(['balance.low']);
    await panel.fund({ ...customer, apiKey: customer.apiKey }, '100');
    const userId = customer.id;
    const adjust = async (amount: string) => {
      const result = await addFunds(panel.ctx, { userId, amount: money(amount) });
      expect(result.ok, amount).toBe(true);
    };

    for (const bad of ['abc', '-5', '0', '1.000001']) {
      const refused = await customer.web.request('PUT', '/webhooks/balance-low', { threshold: bad });
      expect(refused.status, bad).toBe(400);
      expect(refused.json.code).toBe('INVALID_INPUT');
    }
    expect((await customer.web.get('/webhooks')).json.balanceLowThreshold).toBeNull();
    const set = await customer.web.request('PUT', '/webhooks/balance-low', { threshold: '50' });
    expect(set.json).toEqual({ threshold: '50.00000' });
    expect((await customer.web.get('/webhooks')).json.balanceLowThreshold).toBe('50.00000');

    await adjust('-40'); // 60: above
    await adjust('-20'); // 40: crossed
    await adjust('-5'); // 35: still below, no second event
    await adjust('15'); // 50: back at the threshold, re-armed
    const service = await panel.createService({ rate: '1.00' });
    const placed = await placeOrder(panel.panel.contextFor({ userId }), {
      userId,
      params: { service: String(service), link: 'https://example.com/low', quantity: '100' },
    });
    if (!placed.ok) throw new Error(placed.failure.code);
    // 49.90: crossed again, by an order's charge

    expect(await deliver()).toBe(2);
    const messages = receiver.verified(secret);
    expect(messages.map(({ type, data }) => ({ type, data }))).toEqual([
      {
        type: 'balance.low',
        data: {
          balance: '40.00000',
          threshold: '50.00000',
          currency: 'USD',
          entry: expect.stringMatching(/^adjustment:/),
        },
      },
      {
        type: 'balance.low',
        data: {
          balance: '49.90000',
          threshold: '50.00000',
          currency: 'USD',
          entry: `charge:${placed.value.order}`,
        },
      },
    ]);

    // No threshold, no event.
    expect((await customer.web.request('PUT', '/webhooks/balance-low', { threshold: null })).json).toEqual({
      threshold: null,
    });
    await adjust('10');
    await adjust('-30');
    expect(await deliver()).toBe(0);
  });

  it('order.updated for each drip-feed run and subscription post, from its creation on', async () => {
    const { customer, secret } = await listener(['order.updated']);
    await panel.fund({ ...customer, apiKey: customer.apiKey }, '100');
    const userId = customer.id;
    const dripfeed = await panel.createService({ rate: '1.00', dripfeed: true });
    const placed = await placeOrder(panel.panel.contextFor({ userId }), {
      userId,
      params: {
        service: String(dripfeed),
        link: 'https://example.com/drip',
        quantity: '100',
        runs: '2',
        interval: '1',
      },
    });
    if (!placed.ok) throw new Error(placed.failure.code);
    const parent = placed.value.order;
    expect(await createDueRuns(panel.ctx)).toBe(1);
    await deliver();
    const created = receiver.verified(secret).find((message) => message.data.parent === parent);
    expect(created?.data).toEqual({
      order: expect.any(Number),
      parent,
      sequence: 1,
      charge: '0.00000',
      start_count: '0',
      status: 'Pending',
      remains: '100',
      currency: 'USD',
    });
    const run = created!.data.order as number;
    receiver.received.length = 0;
    expect((await updateOrderStatus(panel.ctx, { orderId: run, status: 'Completed' })).ok).toBe(true);
    await deliver();
    const afterRun = receiver.verified(secret).map((message) => message.data);
    expect(afterRun.find((data) => data.order === run)).toMatchObject({
      parent,
      sequence: 2,
      status: 'Completed',
      remains: '0',
    });

    receiver.received.length = 0;
    const subscriptionService = await panel.createService({
      type: 'Subscriptions',
      rate: '1.00',
      min: 100,
      max: 1000,
    });
    const add = await panel.api({
      key: customer.apiKey,
      action: 'add',
      service: subscriptionService,
      username: 'someone',
      min: 100,
      max: 200,
      delay: 0,
    });
    const subscription = add.json.order as number;
    expect(subscription).toBeGreaterThan(0);
    const recorded = await recordPost(panel.ctx, { subscriptionId: subscription, quantity: 150 });
    if (!recorded.ok) throw new Error(JSON.stringify(recorded.failure));
    const post = recorded.value.id;
    expect(
      (await updateOrderStatus(panel.ctx, { orderId: post, status: 'In progress', startCount: 7 })).ok,
    ).toBe(true);
    await deliver();
    expect(
      receiver
        .verified(secret)
        .map((message) => message.data)
        .filter((data) => data.order === post),
    ).toEqual([
      {
        order: post,
        parent: subscription,
        sequence: 1,
        charge: '0.15000',
        start_count: '0',
        status: 'Pending',
        remains: '150',
        currency: 'USD',
      },
      {
        order: post,
        parent: subscription,
        sequence: 2,
        charge: '0.15000',
        start_count: '7',
        status: 'In progress',
        remains: '150',
        currency: 'USD',
      },
    ]);
  });

  it('keeps the delivery log 30 days (the housekeeping job), and shows it meanwhile', async () => {
    const { customer, endpoint } = await listener(['order.updated']);
    await customer.web.post(`/webhooks/${endpoint}/test`);
    expect(await deliver()).toBe(1);
    const shown = await customer.web.get(`/webhooks/${endpoint}/deliveries`);
    expect(shown.json.attempts).toMatchObject([{ event: 'webhook.test', status: 204, state: 'delivered' }]);
    const first = Date.parse(shown.json.attempts[0].at);
    // The session would expire over a month: the use cases stand in for the page from here on.
    panel.clock.advance(29 * DAY);
    expect((await sendTestEvent(panel.ctx, customer.id, endpoint)).ok).toBe(true);
    expect(await deliver()).toBe(1);
    const log = async () => {
      const listed = await listWebhookDeliveries(panel.ctx, customer.id, endpoint);
      if (!listed.ok) throw new Error(listed.failure.code);
      return listed.value.map((entry) => entry.attemptedAt);
    };
    expect(await log()).toEqual([first + 29 * DAY, first]);
    panel.clock.advance(DAY - 1);
    await purgeWebhookLog(panel.ctx);
    expect(await log()).toHaveLength(2); // 30 days less a millisecond: kept
    panel.clock.advance(2);
    expect(await purgeWebhookLog(panel.ctx)).toBeGreaterThanOrEqual(1);
    expect(await log()).toEqual([first + 29 * DAY]);
  });
});

describe('webhook endpoint disabled after a day of failures, with email on', () => {
  let panel: TestPanel;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    panel = await TestPanel.start({
      allowPrivateUrls: true,
      mail: { enabled: true, publicUrl: 'https://panel.example', adminEmail: 'owner@panel.example' },
    });
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
    await panel.close();
  });

  it('its owner is emailed once, in the transaction that disables it', async () => {
    const user = await createUser(panel.ctx, {
      username: `hooked_${process.pid}`,
      role: 'customer',
      email: 'hooked@customer.example',
    });
    if (!user.ok) throw new Error(user.failure.code);
    const created = await createWebhook(panel.ctx, allowPrivate, {
      userId: user.value.id,
      url: receiver.url,
      events: ['balance.low'],
    });
    if (!created.ok) throw new Error(created.failure.code);
    receiver.otherwise = { status: 503, body: 'down' };
    expect((await sendTestEvent(panel.ctx, user.value.id, created.value.id)).ok).toBe(true);
    for (let i = 0; i < 8; i++) {
      await deliverWebhooks(panel.panel.ctx, { policy: allowPrivate });
      panel.clock.advance(10 * 3600_000);
    }
    const mails = (await listOutboxEmails(panel.db)).filter(
      (mail) => mail.recipient === 'hooked@customer.example' && mail.subject.includes('webhook'),
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('A webhook endpoint was disabled');
    expect(mails[0]!.textBody).toContain(receiver.url);
    expect(mails[0]!.textBody).toContain('every delivery failed for a day');
    expect(mails[0]!.textBody).toContain('https://panel.example/webhooks');
  });
});
