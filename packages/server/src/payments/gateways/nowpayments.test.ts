import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeNowPayments, type FakeNowPayments } from '../../../test/support/fake-nowpayments.js';
import { startWebhookReceiver } from '../../../test/support/fake-webhook-receiver.js';
import { InvalidNotification, type PaymentGateway } from '../gateway.js';
import { ipnSignature, nowpaymentsGateway } from './nowpayments.js';

let fake: FakeNowPayments;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let gateway: PaymentGateway;

beforeAll(async () => {
  fake = await startFakeNowPayments();
  receiver = await startWebhookReceiver();
  gateway = nowpaymentsGateway.create(nowpaymentsGateway.parseConfig(fake.config));
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

async function received(body: Record<string, unknown>, options = {}) {
  const answer = await fake.deliver(body, options);
  expect(answer.status).toBe(200);
  return gateway.readNotification(receiver.last());
}

describe('NOWPayments invoice adapter (REST over fetch) against the fake NOWPayments', () => {
  it('creates an invoice with the API key: exact price, order id, IPN and return URLs', async () => {
    const created = await gateway.createPayment(input(81, '10.50000'));
    expect(created.redirectUrl).toBe(`${fake.apiBase}/payment/?iid=${created.paymentId}`);
    const request = fake.requests.find((one) => one.method === 'POST' && one.path === '/v1/invoice')!;
    expect(request.headers['x-api-key']).toBe(fake.apiKey);
    expect(request.body).toContain('"price_amount":10.50,');
    expect(JSON.parse(request.body)).toEqual({
      price_amount: 10.5,
      price_currency: 'usd',
      order_id: '81',
      order_description: 'Deposit #81',
      ipn_callback_url: receiver.notifyUrl,
      success_url: `${receiver.returnUrl}?deposit=81`,
      cancel_url: `${receiver.cancelUrl}?deposit=81`,
    });
    await expect(gateway.createPayment(input(82, '10.505'))).rejects.toThrow(/decimals/);
    expect(await gateway.confirmReturn({ NP_id: '1' })).toBeNull();
  });

  it('a genuine finished IPN is a paid event with the price; a replay reads the same', async () => {
    const { paymentId } = await gateway.createPayment(input(83));
    const finished = fake.ipn(paymentId, 'finished');
    const event = await received(finished);
    expect(event).toEqual({
      kind: 'paid',
      eventId: `${String(finished.payment_id)}:finished`,
      paymentId,
      depositId: 83,
      amount: '10.50',
      currency: 'USD',
    });
    expect(await received(finished)).toEqual(event);
  });

  it('partially paid is paid with the lower share of the price, rounded down (so the core reviews it)', async () => {
    const { paymentId } = await gateway.createPayment(input(84));
    // pay_amount 0.00105 BTC for 10.50 USD; 0.0006 BTC arrived: 10.50 × 0.0006 / 0.00105 = 6.00
    expect(await received(fake.ipn(paymentId, 'partially_paid', { actuallyPaid: 0.0006 }))).toMatchObject({
      kind: 'paid',
      paymentId,
      amount: '6.00',
      currency: 'USD',
    });
    // 0.00000001 BTC short of the whole is still below the price
    expect(await received(fake.ipn(paymentId, 'partially_paid', { actuallyPaid: 0.00104999 }))).toMatchObject(
      {
        amount: '10.49',
      },
    );
    expect(await received(fake.ipn(paymentId, 'partially_paid', { actuallyPaid: 0.00000001 }))).toMatchObject(
      {
        amount: '0.00',
      },
    );
  });

  it('failed, expired and refunded; in-progress statuses and foreign payments are ignored', async () => {
    const { paymentId: failing } = await gateway.createPayment(input(85));
    expect(await received(fake.ipn(failing, 'failed'))).toMatchObject({
      kind: 'failed',
      paymentId: failing,
      depositId: 85,
    });
    const { paymentId: expiring } = await gateway.createPayment(input(86));
    expect(await received(fake.ipn(expiring, 'expired'))).toMatchObject({
      kind: 'expired',
      paymentId: expiring,
    });

    const { paymentId } = await gateway.createPayment(input(87));
    const refunded = fake.ipn(paymentId, 'refunded');
    expect(await received(refunded)).toEqual({
      kind: 'refunded',
      eventId: `${String(refunded.payment_id)}:refunded`,
      paymentId,
      amount: '10.50',
      currency: 'USD',
    });
    for (const status of ['waiting', 'confirming', 'confirmed', 'sending'])
      expect(await received(fake.ipn(paymentId, status))).toMatchObject({ kind: 'ignored' });
    const foreign = { ...fake.ipn(paymentId, 'finished'), invoice_id: null };
    await fake.deliver(foreign, { url: receiver.notifyUrl });
    expect(await gateway.readNotification(receiver.last())).toMatchObject({ kind: 'ignored' });
  });

  it('a JPY invoice and a different price currency come back exact', async () => {
    const { paymentId } = await gateway.createPayment(input(88, '1000', 'JPY'));
    expect(fake.requests.at(-1)!.body).toContain('"price_amount":1000,');
    expect(await received(fake.ipn(paymentId, 'finished'))).toMatchObject({
      amount: '1000',
      currency: 'JPY',
    });
    expect(
      await received(fake.ipn(paymentId, 'finished', { priceAmount: 0.07, priceCurrency: 'eur' })),
    ).toMatchObject({ amount: '0.07', currency: 'EUR' });
  });

  it('a bad, stale, missing or edited signature is InvalidNotification', async () => {
    const { paymentId } = await gateway.createPayment(input(89));
    const finished = fake.ipn(paymentId, 'finished');
    await fake.deliver(finished, { secret: 'someone-else' });
    await expect(gateway.readNotification(receiver.last())).rejects.toBeInstanceOf(InvalidNotification);

    const stale = fake.ipn(paymentId, 'finished', {
      updatedAt: new Date(Date.now() - 6 * 60_000).toISOString(),
    });
    await fake.deliver(stale);
    await expect(gateway.readNotification(receiver.last())).rejects.toBeInstanceOf(InvalidNotification);
    const recent = fake.ipn(paymentId, 'finished', {
      updatedAt: new Date(Date.now() - 4 * 60_000).toISOString(),
    });
    expect(await received(recent)).toMatchObject({ kind: 'paid' });

    const genuine = fake.sign(finished);
    const edited = Buffer.from(
      genuine.rawBody.toString().replace('"price_amount":10.5', '"price_amount":1050'),
    );
    await expect(
      gateway.readNotification({ headers: genuine.headers, rawBody: edited }),
    ).rejects.toBeInstanceOf(InvalidNotification);
    await expect(gateway.readNotification({ headers: {}, rawBody: genuine.rawBody })).rejects.toBeInstanceOf(
      InvalidNotification,
    );
    await expect(
      gateway.readNotification({ headers: genuine.headers, rawBody: Buffer.from('[1,2]') }),
    ).rejects.toBeInstanceOf(InvalidNotification);
    // The signature is over the sorted keys, whatever order the body's keys come in.
    const reordered = Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(finished).reverse())));
    expect(
      await gateway.readNotification({
        headers: { 'x-nowpayments-sig': ipnSignature(finished, fake.ipnSecret).toUpperCase() },
        rawBody: reordered,
      }),
    ).toMatchObject({ kind: 'paid' });
  });

  it("the fake's payment page sends the IPN to the invoice's callback, then the success URL", async () => {
    const { paymentId, redirectUrl } = await gateway.createPayment(input(90));
    const back = await fetch(redirectUrl!, { method: 'POST' });
    expect(back.url).toBe(`${receiver.returnUrl}?deposit=90`);
    expect(await gateway.readNotification(receiver.last())).toMatchObject({
      kind: 'paid',
      paymentId,
      depositId: 90,
    });
  });

  it('a wrong API key is an error from createPayment', async () => {
    const wrong = nowpaymentsGateway.create(
      nowpaymentsGateway.parseConfig({ ...fake.config, apiKey: 'nope' }),
    );
    await expect(wrong.createPayment(input(91))).rejects.toThrow(/403: Invalid api key/);
  });
});
