import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestPanel } from '../support/test-panel.js';
import { WebClient, webUser } from '../support/web-client.js';

/**
 * The Add funds page's live terms: `GET /web-api/deposits/quote` answers what a deposit would
 * cost and bring (the domain's limits, fee and bonus tiers), records nothing, and refuses bad
 * amounts clearly; and the admin dashboard's paid deposits per method per day.
 */

let panel: TestPanel;
let admin: WebClient;
let customer: WebClient;
let bank: number;
let wallet: number;

beforeAll(async () => {
  panel = await TestPanel.start();
  admin = (await webUser(panel, 'admin')).web;
  customer = (await webUser(panel, 'customer')).web;
  const added = await admin.post('/admin/payment-methods', {
    gateway: 'manual',
    name: 'Bank transfer',
    min: '5',
    max: '1000',
    feePercent: '2.5',
    bonus: '100:5,500:10',
  });
  expect(added.status).toBe(200);
  bank = added.json.id;
  const second = await admin.post('/admin/payment-methods', { gateway: 'manual', name: 'Wallet' });
  expect(second.status).toBe(200);
  wallet = second.json.id;
});

afterAll(async () => {
  await panel.close();
});

const quote = (web: WebClient, method: number | string, amount: string) =>
  web.get(`/deposits/quote?method=${method}&amount=${encodeURIComponent(amount)}`);

describe('GET /web-api/deposits/quote', () => {
  it('answers the fee (rounded up to the cent), what is paid, the bonus of the highest tier reached and the credit', async () => {
    const small = await quote(customer, bank, '10.00');
    expect(small.status).toBe(200);
    expect(small.json).toEqual({
      amount: '10.00000',
      fee: '0.25000',
      pay: '10.25000',
      bonus: '0.00000',
      credit: '10.00000',
      currency: 'USD',
    });
    const tier = await quote(customer, bank, '100.10');
    expect(tier.json).toMatchObject({
      fee: '2.51000',
      pay: '102.61000',
      bonus: '5.00500',
      credit: '105.10500',
    });
    const top = await quote(customer, bank, '500');
    expect(top.json).toMatchObject({ amount: '500.00000', bonus: '50.00000', credit: '550.00000' });
    const none = await quote(customer, wallet, '7.5');
    expect(none.json).toMatchObject({ amount: '7.50000', fee: '0.00000', pay: '7.50000', credit: '7.50000' });
  });

  it('refuses bad amounts and amounts out of the limits with a clear error, recording nothing', async () => {
    const cases: [string, string][] = [
      ['abc', 'Invalid amount: a positive amount with at most 2 decimals, e.g. 10 or 10.50'],
      ['10.001', 'Invalid amount: a positive amount with at most 2 decimals, e.g. 10 or 10.50'],
      ['-5', 'Invalid amount: a positive amount with at most 2 decimals, e.g. 10 or 10.50'],
      ['0', 'Invalid amount: must be more than zero'],
      ['', 'Invalid amount: a positive amount with at most 2 decimals, e.g. 10 or 10.50'],
      ['4.99', 'Invalid amount: at least 5.00'],
      ['1000.01', 'Invalid amount: at most 1000.00'],
    ];
    for (const [amount, error] of cases) {
      const answer = await quote(customer, bank, amount);
      expect(answer.status, amount).toBe(400);
      expect(answer.json.error, amount).toBe(error);
    }
    const long = await quote(customer, bank, '1'.repeat(31));
    expect(long.status).toBe(400);
    const deposits = await customer.get('/deposits');
    expect(deposits.json.deposits).toEqual([]);
  });

  it('refuses a missing, unknown or disabled method and a missing amount', async () => {
    expect((await customer.get(`/deposits/quote?amount=10`)).status).toBe(400);
    expect((await customer.get(`/deposits/quote?method=${bank}`)).status).toBe(400);
    expect((await quote(customer, 'x', '10')).status).toBe(400);
    const unknown = await quote(customer, 999_999, '10');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toBe('No payment method with id 999999');
    const disabled = await admin.post('/admin/payment-methods', {
      gateway: 'manual',
      name: 'Off',
      enabled: false,
    });
    expect((await quote(customer, disabled.json.id, '10')).status).toBe(404);
  });

  it('needs a session', async () => {
    const anonymous = await quote(new WebClient(panel.baseUrl), bank, '10');
    expect(anonymous.status).toBe(401);
  });

  it('quotes what a started deposit then records', async () => {
    const quoted = await quote(customer, bank, '120');
    const started = await customer.post('/deposits', { method: bank, amount: '120' });
    expect(started.status).toBe(200);
    const listed = await customer.get('/deposits');
    const deposit = listed.json.deposits.find((item: { id: number }) => item.id === started.json.id);
    expect({ fee: deposit.fee, pay: deposit.payAmount, bonus: deposit.bonus }).toEqual({
      fee: quoted.json.fee,
      pay: quoted.json.pay,
      bonus: quoted.json.bonus,
    });
  });
});

describe('GET /web-api/admin/deposits/daily', () => {
  it('counts and sums paid deposits per method per day over 14 days; staff without payments.read are refused', async () => {
    let buyer = (await webUser(panel, 'customer')).web;
    let staff = admin;
    const start = async (method: number, amount: string) => {
      const started = await buyer.post('/deposits', { method, amount });
      expect(started.status).toBe(200);
      return started.json.id as number;
    };
    const old = await start(bank, '50');
    expect((await staff.post(`/admin/deposits/${old}/approve`)).status).toBe(200);
    panel.clock.advance(15 * 86_400_000);
    // Sessions do not last 15 days: sign in again.
    buyer = (await webUser(panel, 'customer')).web;
    staff = (await webUser(panel, 'admin')).web;
    const first = await start(bank, '10');
    const second = await start(bank, '20.50');
    const third = await start(wallet, '7');
    const unpaid = await start(wallet, '9');
    const rejected = await start(wallet, '11');
    for (const id of [first, second, third])
      expect((await staff.post(`/admin/deposits/${id}/approve`)).status).toBe(200);
    expect((await staff.post(`/admin/deposits/${rejected}/reject`, { reason: 'not received' })).status).toBe(
      200,
    );
    void unpaid;
    panel.clock.advance(86_400_000);
    const fourth = await start(wallet, '3.25');
    expect((await staff.post(`/admin/deposits/${fourth}/approve`)).status).toBe(200);

    const answer = await staff.get('/admin/deposits/daily');
    expect(answer.status).toBe(200);
    const today = new Date(panel.clock.now()).toISOString().slice(0, 10);
    const yesterday = new Date(panel.clock.now() - 86_400_000).toISOString().slice(0, 10);
    expect(answer.json).toEqual({
      days: 14,
      totals: [
        { date: today, method: wallet, methodName: 'Wallet', count: 1, sum: '3.25000' },
        { date: yesterday, method: bank, methodName: 'Bank transfer', count: 2, sum: '30.50000' },
        { date: yesterday, method: wallet, methodName: 'Wallet', count: 1, sum: '7.00000' },
      ],
    });

    const support = (await webUser(panel, 'support')).web;
    const refused = await support.get('/admin/deposits/daily');
    expect([401, 403]).toContain(refused.status);
    expect((await buyer.get('/admin/deposits/daily')).status).toBe(403);
  });
});
