import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireDeposits } from '../../src/app/payments/expire-deposits.js';
import { sql } from '../../src/store/database.js';
import { type SignedDelivery, postDelivery } from '../support/fake-gateway-http.js';
import { type FakeNowPayments, startFakeNowPayments } from '../support/fake-nowpayments.js';
import { type FakePayPal, startFakePayPal } from '../support/fake-paypal.js';
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.js';
import { TestPanel } from '../support/test-panel.js';
import { type WebClient, webUser } from '../support/web-client.js';

/**
 * The real gateways end to end through the panel: for Stripe, PayPal and NOWPayments, a payment
 * method created through the admin endpoint with `apiBase` pointing at a local fake of that gateway
 * (a real HTTP server that signs its notifications as the gateway does; our side uses the adapter and,
 * for Stripe, the official SDK), then deposits over real HTTP: paid once, replayed 64 times at once,
 * out of order, forged or stale, the wrong amount, expired, refunded after the money was spent.
 */

let panel: TestPanel;
let admin: WebClient;
let stripe: FakeStripe;
let paypal: FakePayPal;
let nowpayments: FakeNowPayments;

const entriesOf = sql('SELECT kind, amount, entry_key FROM ledger_entries WHERE user_id = ? ORDER BY id');
const balanceOf = sql('SELECT balance FROM users WHERE id = ?');

async function ledger(userId: number): Promise<{ kind: string; amount: bigint; key: string }[]> {
  const rows = await panel.db.all<{ kind: string; amount: bigint; entry_key: string }>(entriesOf, [userId]);
  return rows.map((row) => ({ kind: row.kind, amount: BigInt(row.amount), key: row.entry_key }));
}

async function balance(userId: number): Promise<bigint> {
  const row = await panel.db.get<{ balance: bigint }>(balanceOf, [userId]);
  return BigInt(row!.balance);
}

const units = (major: number) => BigInt(Math.round(major * 100)) * 1000n;
const sixMinutesAgo = () => new Date(Date.now() - 6 * 60_000);

/** What differs between the gateways: how a payment id is read, and the notifications each sends. */
interface GatewayDriver {
  readonly name: 'stripe' | 'paypal' | 'nowpayments';
  config(): Record<string, string>;
  paymentIdOf(redirectUrl: string): string;
  /** The signed notification that the customer paid the whole amount. */
  paid(paymentId: string): SignedDelivery;
  /** A signed payment notification for 9.00 where 10.00 was asked. */
  paidLess(paymentId: string): SignedDelivery;
  /** A signed refund of the whole payment (after `paid` was built). */
  refund(paymentId: string): SignedDelivery;
  /** A forged signature and a stale one, both of a paid notification. */
  forged(paymentId: string): SignedDelivery[];
  /** The gateway's own notification that the payment expired; null when it sends none. */
  expired(paymentId: string): SignedDelivery | null;
  /** A signed dispute (chargeback) of the paid payment; absent when the gateway has no disputes. */
  dispute?(paymentId: string): SignedDelivery;
}

const drivers: GatewayDriver[] = [
  {
    name: 'stripe',
    config: () => stripe.config,
    paymentIdOf: (url) => new URL(url).pathname.split('/').pop()!,
    paid: (id) => stripe.sign(stripe.complete(id)),
    paidLess: (id) => stripe.sign(stripe.complete(id, { amountTotal: 900 })),
    refund: (id) => stripe.sign(stripe.refund(id)),
    forged: (id) => {
      const event = stripe.complete(id);
      return [
        stripe.sign(event, { secret: 'whsec_not_the_secret' }),
        stripe.sign(event, { timestamp: Math.floor(sixMinutesAgo().getTime() / 1000) }),
      ];
    },
    expired: (id) => stripe.sign(stripe.expire(id)),
    dispute: (id) => stripe.sign(stripe.dispute(id)),
  },
  {
    name: 'paypal',
    config: () => paypal.config,
    paymentIdOf: (url) => new URL(url).searchParams.get('token')!,
    paid: (id) => paypal.sign(paypal.captureCompleted(id)),
    paidLess: (id) => {
      paypal.approve(id, { captureAmount: { currency_code: 'USD', value: '9.00' } });
      return paypal.sign(paypal.captureCompleted(id));
    },
    refund: (id) => paypal.sign(paypal.refund(id)),
    forged: (id) => {
      const event = paypal.captureCompleted(id);
      return [
        paypal.sign(event, { forge: true }),
        paypal.sign(event, { webhookId: 'WH-SOMEONE-ELSE' }),
        paypal.sign(event, { transmissionTime: sixMinutesAgo().toISOString() }),
      ];
    },
    expired: () => null,
    dispute: (id) => paypal.sign(paypal.dispute(id)),
  },
  {
    name: 'nowpayments',
    config: () => nowpayments.config,
    paymentIdOf: (url) => new URL(url).searchParams.get('iid')!,
    paid: (id) => nowpayments.sign(nowpayments.ipn(id, 'finished')),
    paidLess: (id) => nowpayments.sign(nowpayments.ipn(id, 'finished', { priceAmount: 9 })),
    refund: (id) => nowpayments.sign(nowpayments.ipn(id, 'refunded')),
    forged: (id) => [
      nowpayments.sign(nowpayments.ipn(id, 'finished'), { secret: 'not-the-ipn-secret' }),
      nowpayments.sign(nowpayments.ipn(id, 'finished', { updatedAt: sixMinutesAgo().toISOString() })),
    ],
    expired: (id) => nowpayments.sign(nowpayments.ipn(id, 'expired')),
  },
];

const methods = new Map<string, number>();

beforeAll(async () => {
  panel = await TestPanel.start();
  stripe = await startFakeStripe();
  paypal = await startFakePayPal();
  nowpayments = await startFakeNowPayments();
  admin = (await webUser(panel, 'admin')).web;
  for (const driver of drivers) {
    const created = await admin.post('/admin/payment-methods', {
      gateway: driver.name,
      name: `Pay by ${driver.name}`,
      config: driver.config(),
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    methods.set(driver.name, created.json.id as number);
  }
});

afterAll(async () => {
  await panel?.close();
  await Promise.all([stripe?.close(), paypal?.close(), nowpayments?.close()]);
});

async function depositOf(customer: { web: WebClient }, id: number) {
  const list = await customer.web.get('/deposits');
  return list.json.deposits.find((deposit: { id: number }) => deposit.id === id);
}

async function startDeposit(driver: GatewayDriver, customer: { web: WebClient }, amount = '10.00') {
  const started = await customer.web.post('/deposits', { method: methods.get(driver.name), amount });
  expect(started.status, JSON.stringify(started.json)).toBe(200);
  expect(started.json).toMatchObject({ status: 'pending', redirectUrl: expect.any(String) });
  return {
    depositId: started.json.id as number,
    paymentId: driver.paymentIdOf(started.json.redirectUrl as string),
  };
}

async function gatewayDeposit(driver: GatewayDriver, amount = '10.00') {
  const customer = await webUser(panel, 'customer');
  return { customer, ...(await startDeposit(driver, customer, amount)) };
}

const webhookOf = (driver: GatewayDriver) => `${panel.baseUrl}/payments/webhook/${methods.get(driver.name)}`;
const deliver = (driver: GatewayDriver, delivery: SignedDelivery) =>
  postDelivery(webhookOf(driver), delivery);
const creditOf = (driver: GatewayDriver, paymentId: string, major: number) => ({
  kind: 'deposit',
  amount: units(major),
  key: `deposit:${driver.name}:${paymentId}`,
});

describe.each(drivers)('$name end to end', (driver) => {
  it('a deposit paid once: the signed notification credits the amount', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit(driver);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'pending', amount: '10.00000' });
    expect((await deliver(driver, driver.paid(paymentId))).status).toBe(200);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'paid' });
    expect(await ledger(customer.id)).toEqual([creditOf(driver, paymentId, 10)]);
    expect(await balance(customer.id)).toBe(units(10));
  });

  it('the same notification 64 times concurrently credits once', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit(driver, '25.00');
    const delivery = driver.paid(paymentId);
    const answers = await Promise.all(Array.from({ length: 64 }, () => deliver(driver, delivery)));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 64 }, () => 200));
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'paid' });
    expect(await ledger(customer.id)).toEqual([creditOf(driver, paymentId, 25)]);
  });

  it('out of order: the refund before the completion credits nothing, the late payment changes nothing', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit(driver);
    const paid = driver.paid(paymentId);
    const refund = driver.refund(paymentId);
    expect((await deliver(driver, refund)).status).toBe(200);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'refunded' });
    expect((await deliver(driver, paid)).status).toBe(200);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'refunded' });
    expect(await ledger(customer.id)).toEqual([]);
    expect(await balance(customer.id)).toBe(0n);
  });

  it('a bad or stale signature: 400 and nothing changes', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit(driver);
    for (const delivery of driver.forged(paymentId)) {
      const answer = await deliver(driver, delivery);
      expect(answer.status, answer.body).toBe(400);
      expect(JSON.parse(answer.body).error).toMatch(/^Invalid notification/);
    }
    const unsigned = await postDelivery(webhookOf(driver), { headers: {}, rawBody: Buffer.from('{}') });
    expect(unsigned.status).toBe(400);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'pending' });
    expect(await ledger(customer.id)).toEqual([]);
  });

  it('an amount that differs: review with the reason, nothing credited', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit(driver);
    expect((await deliver(driver, driver.paidLess(paymentId))).status).toBe(200);
    const deposit = await depositOf(customer, depositId);
    expect(deposit).toMatchObject({ status: 'review' });
    expect(deposit.reason).toMatch(/^paid 9\.00 USD, expected 10\.00 USD$/);
    expect(await ledger(customer.id)).toEqual([]);
    const review = await admin.get('/admin/deposits?status=review');
    expect(review.json.deposits.map((one: { id: number }) => one.id)).toContain(depositId);
  });

  it('expiry: the gateway says so or the panel times it out; a payment after that goes to review', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit(driver);
    const expired = driver.expired(paymentId);
    if (expired) {
      expect((await deliver(driver, expired)).status).toBe(200);
    } else {
      panel.clock.advance(24 * 60 * 60 * 1000);
      expect(await expireDeposits(panel.ctx)).toBeGreaterThanOrEqual(1);
    }
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'expired' });
    const late = await gatewayDeposit(driver);
    panel.clock.advance(24 * 60 * 60 * 1000);
    expect(await expireDeposits(panel.ctx)).toBeGreaterThanOrEqual(1);
    expect(await depositOf(late.customer, late.depositId)).toMatchObject({
      status: 'expired',
      reason: 'not paid in time',
    });
    expect((await deliver(driver, driver.paid(late.paymentId))).status).toBe(200);
    expect(await depositOf(late.customer, late.depositId)).toMatchObject({
      status: 'review',
      reason: 'paid after it had expired or failed',
    });
    expect(await ledger(customer.id)).toEqual([]);
    expect(await ledger(late.customer.id)).toEqual([]);
  });

  it('a wrong amount paid after the deposit expired: review with both reasons, never lost', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit(driver);
    panel.clock.advance(24 * 60 * 60 * 1000);
    expect(await expireDeposits(panel.ctx)).toBeGreaterThanOrEqual(1);
    expect((await deliver(driver, driver.paidLess(paymentId))).status).toBe(200);
    expect(await depositOf(customer, depositId)).toMatchObject({
      status: 'review',
      reason: 'paid 9.00 USD, expected 10.00 USD; paid after it had expired or failed',
    });
    expect(await ledger(customer.id)).toEqual([]);
  });

  it('a refund after the customer spent the money: negative balance, add refused, unblocked by a top-up', async () => {
    const service = await panel.createService({ rate: '1.00' });
    const { customer, depositId, paymentId } = await gatewayDeposit(driver);
    expect((await deliver(driver, driver.paid(paymentId))).status).toBe(200);
    const order = await panel.api({
      key: customer.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/a',
      quantity: 9000,
    });
    expect(order.json).toEqual({ order: expect.any(Number) });
    expect(await balance(customer.id)).toBe(units(1));

    const refund = driver.refund(paymentId);
    expect((await deliver(driver, refund)).status).toBe(200);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'refunded' });
    expect(await balance(customer.id)).toBe(-units(9));
    expect((await ledger(customer.id)).at(-1)).toEqual({
      kind: 'chargeback',
      amount: -units(10),
      key: `chargeback:${driver.name}:${paymentId}`,
    });
    const replays = await Promise.all(Array.from({ length: 16 }, () => deliver(driver, refund)));
    expect(replays.every((answer) => answer.status === 200)).toBe(true); // replayed: nothing more
    expect(await balance(customer.id)).toBe(-units(9));

    const blocked = await panel.api({
      key: customer.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/b',
      quantity: 10,
    });
    expect(blocked.text).toBe('{"error":"Not enough funds on balance"}');

    const topUp = await startDeposit(driver, customer, '20.00');
    expect((await deliver(driver, driver.paid(topUp.paymentId))).status).toBe(200);
    expect(await balance(customer.id)).toBe(units(11));
    const unblocked = await panel.api({
      key: customer.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/c',
      quantity: 1000,
    });
    expect(unblocked.json).toEqual({ order: expect.any(Number) });
  });
});

describe.each(drivers.filter((driver) => driver.dispute !== undefined))('$name dispute', (driver) => {
  it('a dispute of a paid deposit debits its credit once, even replayed concurrently', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit(driver);
    expect((await deliver(driver, driver.paid(paymentId))).status).toBe(200);
    const dispute = driver.dispute!(paymentId);
    const answers = await Promise.all(Array.from({ length: 16 }, () => deliver(driver, dispute)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'disputed' });
    expect(await balance(customer.id)).toBe(0n);
    expect(await ledger(customer.id)).toEqual([
      creditOf(driver, paymentId, 10),
      { kind: 'chargeback', amount: -units(10), key: `chargeback:${driver.name}:${paymentId}` },
    ]);
  });
});

describe('PayPal return page and webhook backup', () => {
  const driver = drivers.find((one) => one.name === 'paypal')!;

  it('the customer approves at PayPal and returns: captured on return, the webhook then credits nothing more', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit(driver);
    const approval = await fetch(`${paypal.apiBase}/checkoutnow?token=${paymentId}`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(approval.status).toBe(303);
    const back = await fetch(approval.headers.get('location')!, { redirect: 'manual' });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`/funds?deposit=${depositId}`);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'paid' });
    expect(await ledger(customer.id)).toEqual([creditOf(driver, paymentId, 10)]);

    expect((await deliver(driver, driver.paid(paymentId))).status).toBe(200);
    const again = await fetch(approval.headers.get('location')!, { redirect: 'manual' });
    expect(again.status).toBe(303);
    expect(await ledger(customer.id)).toEqual([creditOf(driver, paymentId, 10)]);
  });

  it('the return page refreshed 16 times racing with the webhooks: credited once', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit(driver);
    const approval = await fetch(`${paypal.apiBase}/checkoutnow?token=${paymentId}`, {
      method: 'POST',
      redirect: 'manual',
    });
    const returnUrl = approval.headers.get('location')!;
    const approved = paypal.sign(paypal.orderApproved(paymentId));
    const answers = await Promise.all([
      ...Array.from({ length: 16 }, () => fetch(returnUrl, { redirect: 'manual' }).then((r) => r.status)),
      ...Array.from({ length: 8 }, () => deliver(driver, approved).then((r) => r.status)),
    ]);
    expect(answers).toEqual([
      ...Array.from({ length: 16 }, () => 303),
      ...Array.from({ length: 8 }, () => 200),
    ]);
    expect((await deliver(driver, driver.paid(paymentId))).status).toBe(200);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'paid' });
    expect(await ledger(customer.id)).toEqual([creditOf(driver, paymentId, 10)]);
  });

  it('the customer approves and never returns: the webhook captures and credits once', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit(driver);
    const approved = paypal.sign(paypal.orderApproved(paymentId));
    expect((await deliver(driver, approved)).status).toBe(200);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'paid' });
    expect(paypal.orders.get(paymentId)!.status).toBe('COMPLETED');
    expect((await deliver(driver, driver.paid(paymentId))).status).toBe(200);
    expect((await deliver(driver, approved)).status).toBe(200);
    expect(await ledger(customer.id)).toEqual([creditOf(driver, paymentId, 10)]);
  });
});
