import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePayPal, type FakePayPal, type PayPalEvent } from '../../../test/support/fake-paypal.js';
import { startWebhookReceiver } from '../../../test/support/fake-webhook-receiver.js';
import { InvalidNotification, type PaymentGateway } from '../gateway.js';
import { paypalGateway } from './paypal.js';

let fake: FakePayPal;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let gateway: PaymentGateway;

beforeAll(async () => {
  fake = await startFakePayPal();
  receiver = await startWebhookReceiver();
  gateway = paypalGateway.create(paypalGateway.parseConfig(fake.config));
});
afterAll(async () => {
  await fake.close();
  await receiver.close();
});

const input = (depositId: number, amount = '10.50', currency = 'USD') => ({
  depositId,
  amount,
  currency,
  description: `Deposit #${depositId}`,
  returnUrl: `${receiver.returnUrl}?deposit=${depositId}`,
  cancelUrl: `${receiver.cancelUrl}?deposit=${depositId}`,
  notifyUrl: receiver.notifyUrl,
});

async function received(event: PayPalEvent, options = {}) {
  const answer = await fake.deliver(receiver.notifyUrl, event, options);
  expect(answer.status).toBe(200);
  return gateway.readNotification(receiver.last());
}

describe('PayPal Orders v2 adapter (REST over fetch) against the fake PayPal', () => {
  it('creates an order with OAuth client credentials: amount, custom_id, URLs, approve link', async () => {
    const created = await gateway.createPayment(input(61));
    expect(created.redirectUrl).toBe(`${fake.apiBase}/checkoutnow?token=${created.paymentId}`);
    const order = fake.orders.get(created.paymentId)!;
    expect(order).toMatchObject({
      amount: { currency_code: 'USD', value: '10.50' },
      customId: '61',
      returnUrl: `${receiver.returnUrl}?deposit=61`,
      cancelUrl: `${receiver.cancelUrl}?deposit=61`,
    });
    const create = fake.requests.find((one) => one.method === 'POST' && one.path === '/v2/checkout/orders')!;
    expect(create.headers['paypal-request-id']).toMatch(/^smmkit-deposit-61-[0-9a-f]{24}$/);
    expect(JSON.parse(create.body)).toMatchObject({ intent: 'CAPTURE' });
    // One token serves many calls; the same deposit asked twice is the same order.
    expect((await gateway.createPayment(input(61))).paymentId).toBe(created.paymentId);
    expect(fake.counters.tokensIssued).toBe(1);
  });

  it('the return captures the approved order: a paid event with the captured amount, again on reload', async () => {
    const { paymentId, redirectUrl } = await gateway.createPayment(input(62));
    // The customer approves on the (fake) PayPal page and is sent back with ?token=…&PayerID=…
    const back = await fetch(redirectUrl!, { method: 'POST' });
    expect(back.url).toContain(`token=${paymentId}`);
    const query = receiver.returns.at(-1)!;
    expect(query).toMatchObject({ page: 'return', deposit: '62', token: paymentId });
    const paid = await gateway.confirmReturn(query);
    expect(paid).toMatchObject({ kind: 'paid', paymentId, depositId: 62, amount: '10.50', currency: 'USD' });
    expect(fake.orders.get(paymentId)!.status).toBe('COMPLETED');
    expect(await gateway.confirmReturn(query)).toEqual(paid);
  });

  it('a return before approval, or a cancel, credits nothing; an unknown or malformed token is refused', async () => {
    const { paymentId } = await gateway.createPayment(input(63));
    expect(await gateway.confirmReturn({ token: paymentId })).toEqual({ kind: 'ignored', eventId: null });
    await expect(gateway.confirmReturn({ token: 'NOSUCHORDER00000' })).rejects.toBeInstanceOf(
      InvalidNotification,
    );
    await expect(gateway.confirmReturn({})).rejects.toBeInstanceOf(InvalidNotification);
    await expect(gateway.confirmReturn({ token: '../../v1/oauth2' })).rejects.toBeInstanceOf(
      InvalidNotification,
    );
  });

  it('the captured amount is what is reported (a mismatch is for the core to see), JPY without decimals', async () => {
    const { paymentId } = await gateway.createPayment(input(64));
    fake.approve(paymentId, { captureAmount: { currency_code: 'USD', value: '9.99' } });
    expect(await gateway.confirmReturn({ token: paymentId })).toMatchObject({ kind: 'paid', amount: '9.99' });

    const yen = await gateway.createPayment(input(65, '1000.00000', 'JPY'));
    expect(fake.orders.get(yen.paymentId)!.amount).toEqual({ currency_code: 'JPY', value: '1000' });
    fake.approve(yen.paymentId);
    expect(await gateway.confirmReturn({ token: yen.paymentId })).toMatchObject({
      amount: '1000',
      currency: 'JPY',
    });
    await expect(gateway.createPayment(input(66, '10.505'))).rejects.toThrow(/decimals/);
  });

  it('webhooks, verified by PayPal: completed, approved-but-never-returned, refunded, disputed', async () => {
    const { paymentId } = await gateway.createPayment(input(67));
    const completed = fake.captureCompleted(paymentId);
    const refunded = fake.refund(paymentId, '4.00'); // delivered before the completion
    expect(await received(refunded)).toEqual({
      kind: 'refunded',
      eventId: refunded.id,
      paymentId,
      amount: '4.00',
      currency: 'USD',
    });
    expect(await received(completed)).toEqual({
      kind: 'paid',
      eventId: completed.id,
      paymentId,
      depositId: 67,
      amount: '10.50',
      currency: 'USD',
    });
    expect(await received(completed)).toMatchObject({ kind: 'paid', eventId: completed.id }); // replay
    expect(await received(fake.refund(paymentId, '6.50'))).toMatchObject({
      kind: 'refunded',
      amount: '10.50',
    });
    expect(await received(fake.dispute(paymentId))).toMatchObject({
      kind: 'disputed',
      paymentId,
      amount: '10.50',
      currency: 'USD',
    });

    const { paymentId: walkedAway } = await gateway.createPayment(input(68));
    expect(await received(fake.orderApproved(walkedAway))).toMatchObject({
      kind: 'paid',
      paymentId: walkedAway,
      depositId: 68,
      amount: '10.50',
    });
    expect(fake.orders.get(walkedAway)!.status).toBe('COMPLETED');

    const other = { ...completed, id: 'WH-OTHER', event_type: 'BILLING.PLAN.CREATED' };
    expect(await received(other)).toEqual({ kind: 'ignored', eventId: 'WH-OTHER' });
  });

  it('forged, stale, someone else’s, edited or unsigned notifications are InvalidNotification', async () => {
    const { paymentId } = await gateway.createPayment(input(69));
    const event = fake.captureCompleted(paymentId);
    const refused = async (options: object) => {
      await fake.deliver(receiver.notifyUrl, event, options);
      await expect(gateway.readNotification(receiver.last())).rejects.toBeInstanceOf(InvalidNotification);
    };
    await refused({ forge: true });
    await refused({ webhookId: 'WH-SOMEONE-ELSE' });
    await refused({ transmissionTime: new Date(Date.now() - 6 * 60_000).toISOString() });
    expect(
      await received(event, { transmissionTime: new Date(Date.now() - 4 * 60_000).toISOString() }),
    ).toMatchObject({
      kind: 'paid',
    });

    const genuine = fake.sign(event);
    const edited = Buffer.from(genuine.rawBody.toString().replace('"value":"10.50"', '"value":"99.00"'));
    await expect(
      gateway.readNotification({ headers: genuine.headers, rawBody: edited }),
    ).rejects.toBeInstanceOf(InvalidNotification);
    await expect(gateway.readNotification({ headers: {}, rawBody: genuine.rawBody })).rejects.toBeInstanceOf(
      InvalidNotification,
    );
    await expect(
      gateway.readNotification({ headers: genuine.headers, rawBody: Buffer.from('not json') }),
    ).rejects.toBeInstanceOf(InvalidNotification);
  });

  it('64 concurrent notifications all verify and share one OAuth token', async () => {
    const fresh = paypalGateway.create(paypalGateway.parseConfig(fake.config));
    const { paymentId } = await gateway.createPayment(input(71));
    const delivery = fake.sign(fake.captureCompleted(paymentId));
    const before = fake.counters.tokensIssued;
    const events = await Promise.all(Array.from({ length: 64 }, () => fresh.readNotification(delivery)));
    expect(new Set(events.map((event) => JSON.stringify(event))).size).toBe(1);
    expect(events[0]).toMatchObject({ kind: 'paid', paymentId, depositId: 71 });
    expect(fake.counters.tokensIssued).toBe(before + 1);
  });

  it('wrong client credentials are an error from createPayment', async () => {
    const wrong = paypalGateway.create(paypalGateway.parseConfig({ ...fake.config, clientSecret: 'nope' }));
    await expect(wrong.createPayment(input(70))).rejects.toThrow(/OAuth token answered 401/);
  });
});
