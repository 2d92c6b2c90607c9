import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStripe, type FakeStripe } from '../../../test/support/fake-stripe.js';
import { startWebhookReceiver } from '../../../test/support/fake-webhook-receiver.js';
import { InvalidNotification, type PaymentGateway } from '../gateway.js';
import { stripeGateway } from './stripe.js';

let fake: FakeStripe;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let gateway: PaymentGateway;

beforeAll(async () => {
  fake = await startFakeStripe();
  receiver = await startWebhookReceiver();
  gateway = stripeGateway.create(stripeGateway.parseConfig(fake.config));
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

/** Delivers the event over HTTP to the receiver and reads it back as our webhook endpoint would. */
async function received(event: Parameters<FakeStripe['deliver']>[1], options = {}) {
  const answer = await fake.deliver(receiver.notifyUrl, event, options);
  expect(answer.status).toBe(200);
  return gateway.readNotification(receiver.last());
}

describe('Stripe Checkout adapter (official SDK) against the fake Stripe', () => {
  it('creates a Checkout Session: minor units, metadata, URLs, the secret key, an idempotency key', async () => {
    const created = await gateway.createPayment(input(41));
    expect(created.paymentId).toMatch(/^cs_test_/);
    expect(created.redirectUrl).toBe(`${fake.apiBase}/pay/${created.paymentId}`);
    const session = fake.sessions.get(created.paymentId)!;
    expect(session).toMatchObject({
      mode: 'payment',
      amount_total: 1050,
      currency: 'usd',
      client_reference_id: '41',
      metadata: { deposit_id: '41' },
      success_url: `${receiver.returnUrl}?deposit=41`,
      cancel_url: `${receiver.cancelUrl}?deposit=41`,
    });
    const request = fake.requests.find(
      (one) => one.method === 'POST' && one.path === '/v1/checkout/sessions',
    )!;
    expect(request.headers.authorization).toBe(`Bearer ${fake.secretKey}`);
    expect(request.headers['idempotency-key']).toMatch(/^smmkit-deposit-41-[0-9a-f]{24}$/);
    // The same deposit asked twice is the same session.
    expect((await gateway.createPayment(input(41))).paymentId).toBe(created.paymentId);
    // Another panel on the same Stripe account, with its own deposit 41, gets its own session.
    const otherPanel = { ...input(41), notifyUrl: 'https://other.example/payments/webhook/1' };
    expect((await gateway.createPayment(otherPanel)).paymentId).not.toBe(created.paymentId);
  });

  it('a genuine checkout.session.completed is a paid event with the exact amount', async () => {
    const { paymentId } = await gateway.createPayment(input(42));
    const event = fake.complete(paymentId);
    expect(await received(event)).toEqual({
      kind: 'paid',
      eventId: event.id,
      paymentId,
      depositId: 42,
      amount: '10.50',
      currency: 'USD',
    });
    // A replay reads the same (the core's unique ledger key makes it credit once).
    expect(await received(event)).toMatchObject({ kind: 'paid', eventId: event.id, paymentId });
  });

  it('zero-decimal JPY: 1000 yen is unit_amount 1000 and comes back as "1000"', async () => {
    const { paymentId } = await gateway.createPayment(input(43, '1000.00000', 'JPY'));
    expect(fake.sessions.get(paymentId)).toMatchObject({ amount_total: 1000, currency: 'jpy' });
    expect(await received(fake.complete(paymentId))).toMatchObject({
      kind: 'paid',
      amount: '1000',
      currency: 'JPY',
    });
    await expect(gateway.createPayment(input(44, '1000.5', 'JPY'))).rejects.toThrow(/decimals/);
  });

  it('a different amount or currency is reported as paid, so the core can compare it with the deposit', async () => {
    const { paymentId } = await gateway.createPayment(input(45));
    expect(await received(fake.complete(paymentId, { amountTotal: 999, currency: 'eur' }))).toMatchObject({
      kind: 'paid',
      amount: '9.99',
      currency: 'EUR',
    });
  });

  it('expired, refunded (even before completion is delivered) and disputed reach the same payment id', async () => {
    const { paymentId: expiring } = await gateway.createPayment(input(46));
    expect(await received(fake.expire(expiring))).toMatchObject({
      kind: 'expired',
      paymentId: expiring,
      depositId: 46,
    });

    const { paymentId } = await gateway.createPayment(input(47));
    const completed = fake.complete(paymentId); // not delivered yet: the refund overtakes it
    const refunded = fake.refund(paymentId, 400);
    expect(await received(refunded)).toEqual({
      kind: 'refunded',
      eventId: refunded.id,
      paymentId,
      amount: '4.00',
      currency: 'USD',
    });
    expect(await received(completed)).toMatchObject({ kind: 'paid', paymentId, amount: '10.50' });
    expect(await received(fake.refund(paymentId))).toMatchObject({ kind: 'refunded', amount: '10.50' });
    expect(await received(fake.dispute(paymentId))).toMatchObject({
      kind: 'disputed',
      paymentId,
      amount: '10.50',
      currency: 'USD',
    });
  });

  it('other events, unpaid completions and charges made outside Checkout are ignored', async () => {
    const { paymentId } = await gateway.createPayment(input(48));
    const completed = fake.complete(paymentId);
    const unpaid = { ...completed, data: { object: { ...completed.data.object, payment_status: 'unpaid' } } };
    expect(await received(unpaid)).toEqual({ kind: 'ignored', eventId: completed.id });
    const other = { ...completed, id: 'evt_other', type: 'customer.created' };
    expect(await received(other)).toEqual({ kind: 'ignored', eventId: 'evt_other' });
    const refund = fake.refund(paymentId);
    const foreign = {
      ...refund,
      data: { object: { ...refund.data.object, payment_intent: 'pi_elsewhere' } },
    };
    expect(await received(foreign)).toEqual({ kind: 'ignored', eventId: refund.id });
  });

  it('bad, stale, missing or replayed-with-edits signatures are InvalidNotification', async () => {
    const { paymentId } = await gateway.createPayment(input(49));
    const event = fake.complete(paymentId);
    const now = Math.floor(Date.now() / 1000);
    const refused = async (options: object) => {
      await fake.deliver(receiver.notifyUrl, event, options);
      await expect(gateway.readNotification(receiver.last())).rejects.toBeInstanceOf(InvalidNotification);
    };
    await refused({ secret: 'whsec_someone_else' });
    await refused({ timestamp: now - 301 }); // older than 5 minutes
    expect(await received(event, { timestamp: now - 290 })).toMatchObject({ kind: 'paid' });

    const genuine = fake.sign(event);
    const tampered = Buffer.from(
      genuine.rawBody.toString().replace('"amount_total": 1050', '"amount_total": 1'),
    );
    await expect(
      gateway.readNotification({ headers: genuine.headers, rawBody: tampered }),
    ).rejects.toBeInstanceOf(InvalidNotification);
    await expect(gateway.readNotification({ headers: {}, rawBody: genuine.rawBody })).rejects.toBeInstanceOf(
      InvalidNotification,
    );
    const junk = Buffer.from('not json');
    await expect(
      gateway.readNotification({
        headers: { 'stripe-signature': fake.signatureHeader('not json') },
        rawBody: junk,
      }),
    ).rejects.toBeInstanceOf(InvalidNotification);
  });

  it("the fake's checkout page: Pay delivers the signed webhook, then returns to the success URL", async () => {
    const { paymentId, redirectUrl } = await gateway.createPayment(input(51));
    fake.webhookUrl = receiver.notifyUrl;
    try {
      const page = await fetch(redirectUrl!);
      expect(await page.text()).toContain(paymentId);
      const paid = await fetch(redirectUrl!, { method: 'POST' });
      expect(paid.url).toBe(`${receiver.returnUrl}?deposit=51`);
      expect(await gateway.readNotification(receiver.last())).toMatchObject({
        kind: 'paid',
        paymentId,
        depositId: 51,
      });
    } finally {
      fake.webhookUrl = null;
    }
  });

  it('a wrong secret key is an error from createPayment; no return step', async () => {
    const wrong = stripeGateway.create(
      stripeGateway.parseConfig({ ...fake.config, secretKey: 'sk_test_wrong' }),
    );
    await expect(wrong.createPayment(input(50))).rejects.toThrow(/Invalid API Key/);
    expect(await gateway.confirmReturn({ session_id: 'cs_test_x' })).toBeNull();
  });
});
