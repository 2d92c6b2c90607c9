import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPaymentMethod } from '../../src/app/payments/add-payment-method.js';
import { expireDeposits } from '../../src/app/payments/expire-deposits.js';
import { sql } from '../../src/store/database.js';
import { workerJobs } from '../../src/worker/jobs.js';
import { TEST_GATEWAY, TestPayServer, registerTestGateway } from '../support/test-gateway.js';
import { TestPanel } from '../support/test-panel.js';
import { type WebClient, webUser } from '../support/web-client.js';

/**
 * Money in: deposits through the manual method (the admin approves or rejects) and through a
 * gateway (TestPay, a local stand-in for an external gateway that signs its notifications), each
 * credited exactly once however its notifications are replayed, reordered or raced; chargebacks
 * may take a balance below zero, which blocks ordering until a top-up.
 */

let panel: TestPanel;
let testpay: TestPayServer;
let admin: WebClient;
let manualMethod: number;
let gatewayMethod: number;

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

beforeAll(async () => {
  registerTestGateway();
  panel = await TestPanel.start();
  testpay = await TestPayServer.start();
  admin = (await webUser(panel, 'admin')).web;
  const manual = await admin.post('/admin/payment-methods', {
    gateway: 'manual',
    name: 'Bank transfer',
    min: '5',
    max: '1000',
    bonus: '100:5,500:10',
    instructions: 'IBAN DE00 1234, reference: your username',
  });
  expect(manual.status).toBe(200);
  manualMethod = manual.json.id;
  const gateway = await admin.post('/admin/payment-methods', {
    gateway: TEST_GATEWAY,
    name: 'Card',
    feePercent: '2.5',
    bonus: '100:5',
    config: testpay.config,
  });
  expect(gateway.status).toBe(200);
  gatewayMethod = gateway.json.id;
});

afterAll(async () => {
  await panel.close();
  await testpay.close();
});

async function gatewayDeposit(amount = '10.00') {
  const customer = await webUser(panel, 'customer');
  const started = await customer.web.post('/deposits', { method: gatewayMethod, amount });
  expect(started.status).toBe(200);
  const paymentId = new URL(started.json.redirectUrl).pathname.split('/').pop()!;
  return { customer, depositId: started.json.id as number, paymentId };
}

async function depositOf(customer: { web: WebClient }, id: number) {
  const list = await customer.web.get('/deposits');
  return list.json.deposits.find((deposit: { id: number }) => deposit.id === id);
}

describe('payment methods', () => {
  it('shows customers the enabled methods without config; the admin sees secrets masked', async () => {
    const customer = await webUser(panel, 'customer');
    const methods = await customer.web.get('/payment-methods');
    expect(methods.status).toBe(200);
    const card = methods.json.methods.find((method: { id: number }) => method.id === gatewayMethod);
    expect(card).toEqual({
      id: gatewayMethod,
      name: 'Card',
      gateway: TEST_GATEWAY,
      min: null,
      max: null,
      feePercent: '2.5',
      feeMode: 'added',
      bonusTiers: [{ from: '100.00', percent: '5' }],
      instructions: null,
    });
    expect(JSON.stringify(methods.json)).not.toContain('secret');

    const listed = await admin.get('/admin/payment-methods');
    const adminCard = listed.json.methods.find((method: { id: number }) => method.id === gatewayMethod);
    expect(adminCard.config).toEqual({
      apiBase: testpay.baseUrl,
      apiKey: '********',
      webhookSecret: '********',
    });
    expect(JSON.stringify(listed.json)).not.toContain('tp_whsec_secret');
    const audit = await panel.db.all<{ details: string }>(
      sql("SELECT details FROM audit_log WHERE action = 'payments.method.add'"),
    );
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit.map((row) => row.details).join()).not.toContain('tp_whsec_secret');
  });

  it('refuses bad input with a clear error, and managers may not change methods', async () => {
    const bad = await admin.post('/admin/payment-methods', { gateway: 'manual', name: 'X', bonus: '100' });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      error: 'Invalid bonus: "100" is not AMOUNT:PERCENT, e.g. 100:5',
      code: 'INVALID_INPUT',
      params: { field: 'bonus', reason: '"100" is not AMOUNT:PERCENT, e.g. 100:5' },
    });
    const unknown = await admin.post('/admin/payment-methods', { gateway: 'bitpay', name: 'X' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatch(/^Invalid gateway: one of manual, .*testpay/);
    const noSecret = await admin.post('/admin/payment-methods', {
      gateway: TEST_GATEWAY,
      name: 'X',
      config: { apiBase: testpay.baseUrl },
    });
    expect(noSecret.json).toEqual({
      error: 'Invalid config: apiKey is required',
      code: 'INVALID_INPUT',
      params: { field: 'config', reason: 'apiKey is required' },
    });
    const limits = await admin.post('/admin/payment-methods', {
      gateway: 'manual',
      name: 'X',
      min: '10',
      max: '5',
    });
    expect(limits.json.error).toBe('Invalid max: must not be below the minimum');
    const manager = await webUser(panel, 'manager');
    const refused = await manager.web.post('/admin/payment-methods', { gateway: 'manual', name: 'M' });
    expect(refused.status).toBe(403);
    expect((await manager.web.get('/admin/deposits')).status).toBe(200);
  });

  it('an update changes what it names, keeps the secrets, and a disabled method takes no deposits', async () => {
    const created = await addPaymentMethod(panel.ctx, {
      gateway: TEST_GATEWAY,
      name: 'Spare',
      config: testpay.config,
    });
    if (!created.ok) throw new Error(created.failure.code);
    const id = created.value.id;
    const updated = await admin.request('PATCH', `/admin/payment-methods/${id}`, {
      enabled: false,
      config: { apiBase: `${testpay.baseUrl}/` },
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({
      enabled: false,
      config: { apiKey: '********', apiBase: `${testpay.baseUrl}/` },
    });
    const customer = await webUser(panel, 'customer');
    const methods = await customer.web.get('/payment-methods');
    expect(methods.json.methods.map((method: { id: number }) => method.id)).not.toContain(id);
    const refused = await customer.web.post('/deposits', { method: id, amount: '10' });
    expect(refused.status).toBe(404);
    expect(refused.json).toEqual({
      error: `No payment method with id ${id}`,
      code: 'PAYMENT_METHOD_NOT_FOUND',
      params: { id },
    });
    const missing = await admin.request('PATCH', '/admin/payment-methods/999999', { enabled: true });
    expect(missing.status).toBe(404);
  });
});

describe('manual deposits', () => {
  it('pending with the instructions, approved by the admin: credited with its bonus, audited', async () => {
    const customer = await webUser(panel, 'customer');
    const started = await customer.web.post('/deposits', {
      method: manualMethod,
      amount: '100.00',
      reference: 'TX-1',
    });
    expect(started.status).toBe(200);
    expect(started.json).toEqual({
      id: expect.any(Number),
      status: 'pending',
      redirectUrl: null,
      instructions: 'IBAN DE00 1234, reference: your username',
    });
    const id = started.json.id;
    expect(await depositOf(customer, id)).toMatchObject({
      status: 'pending',
      amount: '100.00000',
      bonus: '5.00000',
      fee: '0.00000',
      payAmount: '100.00000',
      reference: 'TX-1',
      expiresAt: null,
    });
    const pending = await admin.get(`/admin/deposits?status=pending&method=${manualMethod}`);
    expect(pending.json.deposits.map((deposit: { id: number }) => deposit.id)).toContain(id);

    const approved = await admin.post(`/admin/deposits/${id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ id, status: 'paid', username: customer.username });
    expect(await balance(customer.id)).toBe(units(105));
    expect(await ledger(customer.id)).toEqual([
      { kind: 'deposit', amount: units(100), key: `deposit:manual:deposit-${id}` },
      { kind: 'bonus', amount: units(5), key: `bonus:manual:deposit-${id}` },
    ]);
    const funds = await customer.web.get('/funds');
    expect(funds.json.balance).toBe('105.00000');
    const audit = await panel.db.get<{ actor: string }>(
      sql("SELECT actor FROM audit_log WHERE action = 'payments.deposit.approve' AND target = ?"),
      [`deposit:${id}`],
    );
    expect(audit?.actor).toMatch(/^user:\d+$/);

    const rejectAfter = await admin.post(`/admin/deposits/${id}/reject`, { reason: 'changed my mind' });
    expect(rejectAfter.status).toBe(409);
    expect(rejectAfter.json).toEqual({
      error: `Deposit ${id} is paid: it cannot become failed`,
      code: 'DEPOSIT_TRANSITION',
      params: { id, from: 'paid', to: 'failed' },
    });
    expect(await balance(customer.id)).toBe(units(105));
  });

  it('the same approval racing with itself 32 times credits once', async () => {
    const customer = await webUser(panel, 'customer');
    const started = await customer.web.post('/deposits', { method: manualMethod, amount: '500' });
    const id = started.json.id;
    const answers = await Promise.all(
      Array.from({ length: 32 }, () => admin.post(`/admin/deposits/${id}/approve`)),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(31);
    expect(await balance(customer.id)).toBe(units(550));
    expect(await ledger(customer.id)).toHaveLength(2);
  });

  it('rejected with a reason the customer sees; approving it afterwards is refused', async () => {
    const customer = await webUser(panel, 'customer');
    const started = await customer.web.post('/deposits', { method: manualMethod, amount: '20' });
    const id = started.json.id;
    const rejected = await admin.post(`/admin/deposits/${id}/reject`, { reason: 'no transfer arrived' });
    expect(rejected.json).toMatchObject({ status: 'failed', reason: 'no transfer arrived' });
    expect(await depositOf(customer, id)).toMatchObject({ status: 'failed', reason: 'no transfer arrived' });
    expect((await admin.post(`/admin/deposits/${id}/approve`)).status).toBe(409);
    expect(await balance(customer.id)).toBe(0n);
    expect((await admin.post(`/admin/deposits/${id}/reject`, { reason: '' })).status).toBe(400);
    expect((await admin.post('/admin/deposits/999999/approve')).status).toBe(404);
  });

  it('refuses bad amounts clearly and changes nothing', async () => {
    const customer = await webUser(panel, 'customer');
    const cases: [unknown, string][] = [
      ['0', 'Invalid amount: must be more than zero'],
      ['10.001', 'Invalid amount: a positive amount with at most 2 decimals, e.g. 10 or 10.50'],
      ['-5', 'Invalid amount: a positive amount with at most 2 decimals, e.g. 10 or 10.50'],
      ['4.99', 'Invalid amount: at least 5.00'],
      ['1000.01', 'Invalid amount: at most 1000.00'],
    ];
    for (const [amount, error] of cases) {
      const answer = await customer.web.post('/deposits', { method: manualMethod, amount });
      expect(answer.status, String(amount)).toBe(400);
      expect(answer.json).toMatchObject({ error, code: 'INVALID_INPUT', params: { field: 'amount' } });
    }
    const notText = await customer.web.post('/deposits', { method: manualMethod, amount: { value: 10 } });
    expect(notText.status).toBe(400);
    const unknown = await customer.web.post('/deposits', { method: 999999, amount: '10' });
    expect(unknown.status).toBe(404);
    expect((await customer.web.get('/deposits')).json.deposits).toEqual([]);
    expect((await customer.web.get('/deposits?status=settled')).status).toBe(400);
  });
});

describe('gateway deposits', () => {
  it('a deposit paid once: the fee added to what the customer pays, the amount credited', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit('10.00');
    const payment = testpay.payments.get(paymentId)!;
    expect(payment).toMatchObject({ amount: '10.25', currency: 'USD', reference: String(depositId) });
    expect(payment.notifyUrl).toBe(`${panel.baseUrl}/payments/webhook/${gatewayMethod}`);
    expect(await depositOf(customer, depositId)).toMatchObject({
      status: 'pending',
      fee: '0.25000',
      payAmount: '10.25000',
      redirectUrl: `${testpay.baseUrl}/checkout/${paymentId}`,
    });
    const delivered = await testpay.deliver(paymentId, 'payment.succeeded');
    expect(delivered.status).toBe(200);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'paid', redirectUrl: null });
    expect(await ledger(customer.id)).toEqual([
      { kind: 'deposit', amount: units(10), key: `deposit:${TEST_GATEWAY}:${paymentId}` },
    ]);
  });

  it('the same notification 64 times concurrently credits once', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit('200.00');
    const { body, headers } = testpay.event(paymentId, 'payment.succeeded');
    const url = `${panel.baseUrl}/payments/webhook/${gatewayMethod}`;
    const answers = await Promise.all(
      Array.from({ length: 64 }, () => fetch(url, { method: 'POST', headers, body }).then((r) => r.status)),
    );
    expect(answers).toEqual(Array.from({ length: 64 }, () => 200));
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'paid' });
    expect(await ledger(customer.id)).toEqual([
      { kind: 'deposit', amount: units(200), key: `deposit:${TEST_GATEWAY}:${paymentId}` },
      { kind: 'bonus', amount: units(10), key: `bonus:${TEST_GATEWAY}:${paymentId}` },
    ]);
  });

  it('a refund that overtakes the payment: nothing credited, the late payment changes nothing', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit('10.00');
    const paid = testpay.event(paymentId, 'payment.succeeded');
    expect((await testpay.deliver(paymentId, 'payment.refunded')).status).toBe(200);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'refunded' });
    const url = `${panel.baseUrl}/payments/webhook/${gatewayMethod}`;
    expect((await fetch(url, { method: 'POST', headers: paid.headers, body: paid.body })).status).toBe(200);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'refunded' });
    expect(await ledger(customer.id)).toEqual([]);
  });

  it('a bad or stale signature, or an unreadable body: 400 and nothing changes', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit('10.00');
    const url = `${panel.baseUrl}/payments/webhook/${gatewayMethod}`;
    const wrongSecret = testpay.event(paymentId, 'payment.succeeded', { secret: 'not-the-secret' });
    const stale = testpay.event(paymentId, 'payment.succeeded', {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    const good = testpay.event(paymentId, 'payment.succeeded');
    const tampered = { headers: good.headers, body: good.body.replace('"10.25"', '"1000.25"') };
    const unsigned = { headers: { 'content-type': 'application/json' }, body: good.body };
    for (const attempt of [wrongSecret, stale, tampered, unsigned]) {
      const response = await fetch(url, { method: 'POST', headers: attempt.headers, body: attempt.body });
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(/^Invalid notification/);
    }
    const unknownMethod = await fetch(`${panel.baseUrl}/payments/webhook/999999`, {
      method: 'POST',
      headers: good.headers,
      body: good.body,
    });
    expect(unknownMethod.status).toBe(404);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'pending' });
    expect(await ledger(customer.id)).toEqual([]);
  });

  it('an amount or currency that differs: review with the reason, nothing credited; the admin settles it', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit('10.00');
    expect((await testpay.deliver(paymentId, 'payment.succeeded', { amount: '9.00' })).status).toBe(200);
    expect(await depositOf(customer, depositId)).toMatchObject({
      status: 'review',
      reason: 'paid 9.00 USD, expected 10.25 USD',
    });
    expect(await ledger(customer.id)).toEqual([]);
    const review = await admin.get('/admin/deposits?status=review');
    expect(review.json.deposits.map((deposit: { id: number }) => deposit.id)).toContain(depositId);

    const other = await gatewayDeposit('10.00');
    await testpay.deliver(other.paymentId, 'payment.succeeded', { currency: 'EUR' });
    expect(await depositOf(other.customer, other.depositId)).toMatchObject({
      status: 'review',
      reason: 'paid 10.25 EUR, expected 10.25 USD',
    });

    expect((await admin.post(`/admin/deposits/${depositId}/approve`)).status).toBe(200);
    expect(await balance(customer.id)).toBe(units(10));
  });

  it('an unpaid deposit expires; a payment after that goes to review, never lost', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit('10.00');
    const manual = await customer.web.post('/deposits', { method: manualMethod, amount: '10' });
    panel.clock.advance(24 * 60 * 60 * 1000 - 1);
    await expireDeposits(panel.ctx);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'pending' });
    panel.clock.advance(1);
    expect(await expireDeposits(panel.ctx)).toBeGreaterThanOrEqual(1);
    expect(await depositOf(customer, depositId)).toMatchObject({
      status: 'expired',
      reason: 'not paid in time',
    });
    expect(await depositOf(customer, manual.json.id)).toMatchObject({ status: 'pending' });
    await testpay.deliver(paymentId, 'payment.succeeded');
    expect(await depositOf(customer, depositId)).toMatchObject({
      status: 'review',
      reason: 'paid after it had expired or failed',
    });
    expect(await ledger(customer.id)).toEqual([]);
    const jobs = workerJobs(
      { dispatchIntervalMs: 2000, syncIntervalMs: 30_000 },
      { log: { warn: () => undefined, error: () => undefined } },
    );
    expect(jobs.find((job) => job.name === 'expire-deposits')?.intervalMs).toBe(30_000);
  });

  it('a refund after the customer spent the money: negative balance, ordering blocked until a top-up', async () => {
    const service = await panel.createService({ rate: '1.00' });
    const { customer, depositId, paymentId } = await gatewayDeposit('10.00');
    await testpay.deliver(paymentId, 'payment.succeeded');
    const order = await panel.api({
      key: customer.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/a',
      quantity: 9000,
    });
    expect(order.json).toEqual({ order: expect.any(Number) });
    expect(await balance(customer.id)).toBe(units(1));

    expect((await testpay.deliver(paymentId, 'payment.refunded')).status).toBe(200);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'refunded' });
    expect(await balance(customer.id)).toBe(-units(9));
    const entries = await ledger(customer.id);
    expect(entries.at(-1)).toEqual({
      kind: 'chargeback',
      amount: -units(10),
      key: `chargeback:${TEST_GATEWAY}:${paymentId}`,
    });
    // A second refund notification debits nothing more.
    await testpay.deliver(paymentId, 'payment.refunded');
    expect(await balance(customer.id)).toBe(-units(9));

    const blocked = await panel.api({
      key: customer.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/b',
      quantity: 10,
    });
    expect(blocked.text).toBe('{"error":"Not enough funds on balance"}');
    const zero = await panel.createService({ rate: '0' });
    const free = await panel.api({
      key: customer.apiKey,
      action: 'add',
      service: zero,
      link: 'https://x.test/c',
      quantity: 10,
    });
    expect(free.text).toBe('{"error":"Not enough funds on balance"}');

    const topUp = await customer.web.post('/deposits', { method: manualMethod, amount: '20' });
    expect((await admin.post(`/admin/deposits/${topUp.json.id}/approve`)).status).toBe(200);
    expect(await balance(customer.id)).toBe(units(11));
    const unblocked = await panel.api({
      key: customer.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/d',
      quantity: 1000,
    });
    expect(unblocked.json).toEqual({ order: expect.any(Number) });
  });

  it('a dispute debits the credit and the bonus', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit('100.00');
    await testpay.deliver(paymentId, 'payment.succeeded');
    expect(await balance(customer.id)).toBe(units(105));
    await testpay.deliver(paymentId, 'payment.disputed');
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'disputed' });
    expect(await balance(customer.id)).toBe(0n);
    expect((await ledger(customer.id)).map((entry) => entry.key)).toEqual([
      `deposit:${TEST_GATEWAY}:${paymentId}`,
      `bonus:${TEST_GATEWAY}:${paymentId}`,
      `chargeback:${TEST_GATEWAY}:${paymentId}`,
      `chargeback:bonus:${TEST_GATEWAY}:${paymentId}`,
    ]);
  });

  it('the return page confirms with the gateway and lands the customer on their Funds page', async () => {
    const { customer, depositId, paymentId } = await gatewayDeposit('10.00');
    testpay.payments.get(paymentId)!.status = 'paid';
    const response = await fetch(
      `${panel.baseUrl}/payments/return/${gatewayMethod}?deposit=${depositId}&payment=${paymentId}`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/funds?deposit=${depositId}`);
    expect(await depositOf(customer, depositId)).toMatchObject({ status: 'paid' });
    await testpay.deliver(paymentId, 'payment.succeeded');
    expect(await balance(customer.id)).toBe(units(10));
  });

  it('a gateway that refuses to start the payment: 502, the deposit failed, nothing credited', async () => {
    const broken = await addPaymentMethod(panel.ctx, {
      gateway: TEST_GATEWAY,
      name: 'Broken',
      config: { ...testpay.config, apiKey: 'wrong' },
    });
    if (!broken.ok) throw new Error(broken.failure.code);
    const customer = await webUser(panel, 'customer');
    const answer = await customer.web.post('/deposits', { method: broken.value.id, amount: '10' });
    expect(answer.status).toBe(502);
    expect(answer.json).toEqual({
      error: 'The payment could not be started: TestPay 401: invalid api key',
      code: 'PAYMENT_GATEWAY_FAILED',
      params: { reason: 'TestPay 401: invalid api key' },
    });
    const [deposit] = (await customer.web.get('/deposits')).json.deposits;
    expect(deposit).toMatchObject({
      status: 'failed',
      reason: 'the gateway refused: TestPay 401: invalid api key',
    });
  });
});
