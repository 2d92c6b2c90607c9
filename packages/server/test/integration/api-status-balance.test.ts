import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { sql } from '../../src/store/database.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const INCORRECT_ORDER = '{"error":"Incorrect order ID"}';
const TOO_MANY = '{"error":"Too many IDs, maximum is 100"}';

const setRemains = sql('UPDATE orders SET remains = ? WHERE id = ?');

function statusText(charge: string, startCount: string, status: string, remains: string): string {
  return `{"charge":"${charge}","start_count":"${startCount}","status":"${status}","remains":"${remains}","currency":"USD"}`;
}

describe('API v2 status and balance', () => {
  let panel: TestPanel;
  /** The panel's first user, holding orders 1 to 10 (placed before any test runs). */
  let first: TestUser;

  beforeAll(async () => {
    panel = await TestPanel.start();
    first = await panel.customer('100');
    const service = await panel.createService({ rate: '1' });
    for (let i = 1; i <= 10; i++) {
      const add = await panel.api({
        key: first.apiKey,
        action: 'add',
        service,
        link: `https://x.test/${i}`,
        quantity: i * 10,
      });
      expect(add.text).toBe(`{"order":${i}}`);
    }
  });
  afterAll(() => panel.close());

  async function place(user: TestUser, service: number, quantity: number): Promise<number> {
    const add = await panel.api({
      key: user.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/p',
      quantity,
    });
    expect(add.text).toMatch(/^\{"order":\d+\}$/);
    return add.json.order as number;
  }

  async function status(user: TestUser, order: number | string): Promise<string> {
    const response = await panel.api({ key: user.apiKey, action: 'status', order });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe(JSON_TYPE);
    return response.text;
  }

  async function statuses(user: TestUser, orders: string): Promise<string> {
    const response = await panel.api({ key: user.apiKey, action: 'status', orders });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe(JSON_TYPE);
    return response.text;
  }

  async function balance(user: TestUser): Promise<string> {
    return (await panel.api({ key: user.apiKey, action: 'balance' })).text;
  }

  async function adminUpdate(
    orderId: number,
    status: string,
    extra: { startCount?: number; remains?: number } = {},
  ) {
    const result = await updateOrderStatus(panel.ctx, { orderId, status, ...extra });
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
  }

  describe('single order', () => {
    it('answers a new order exactly, in field order', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ rate: '0.90' });
      const order = await place(user, service, 1000);
      expect(await status(user, order)).toBe(statusText('0.90000', '0', 'Pending', '1000'));
      // Padded with spaces, the id still reads.
      expect(await status(user, ` ${order} `)).toBe(statusText('0.90000', '0', 'Pending', '1000'));
    });

    it('shows In progress with its start count', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ rate: '0.90' });
      const order = await place(user, service, 1000);
      await adminUpdate(order, 'In progress', { startCount: 1234 });
      expect(await status(user, order)).toBe(statusText('0.90000', '1234', 'In progress', '1000'));
      await adminUpdate(order, 'Processing', { remains: 400 });
      expect(await status(user, order)).toBe(statusText('0.90000', '1234', 'Processing', '400'));
      await adminUpdate(order, 'Completed');
      expect(await status(user, order)).toBe(statusText('0.90000', '1234', 'Completed', '0'));
      expect(await balance(user)).toBe('{"balance":"9.10000","currency":"USD"}');
    });

    it('shows a Partial order at its charge less the refund, rounded down', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ rate: '1.23457' });
      // 1.23457 × 777 / 1000 = 0.95926089 → charged 0.95927 (rounded up).
      const order = await place(user, service, 777);
      expect(await status(user, order)).toBe(statusText('0.95927', '0', 'Pending', '777'));
      expect(await balance(user)).toBe('{"balance":"9.04073","currency":"USD"}');
      await adminUpdate(order, 'In progress', { startCount: 50 });
      await adminUpdate(order, 'Partial', { remains: 100 });
      // refund = 0.95927 × 100 / 777 = 0.123458… → 0.12345 (down); shown charge 0.95927 − 0.12345.
      expect(await status(user, order)).toBe(statusText('0.83582', '50', 'Partial', '100'));
      expect(await balance(user)).toBe('{"balance":"9.16418","currency":"USD"}');
    });

    it('shows a Partial order whose remains exceed the quantity as fully refunded, remains clamped', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ rate: '3' });
      const order = await place(user, service, 300);
      await adminUpdate(order, 'Partial', { remains: 5000 });
      expect(await status(user, order)).toBe(statusText('0.00000', '0', 'Partial', '300'));
      expect(await balance(user)).toBe('{"balance":"10.00000","currency":"USD"}');
    });

    it('shows a Canceled order with charge 0.00000', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ rate: '1.23457' });
      const order = await place(user, service, 777);
      await adminUpdate(order, 'In progress', { startCount: 7 });
      await adminUpdate(order, 'Canceled');
      expect(await status(user, order)).toBe(statusText('0.00000', '7', 'Canceled', '777'));
      expect(await balance(user)).toBe('{"balance":"10.00000","currency":"USD"}');
    });

    it('clamps stored remains to 0..quantity', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ rate: '1' });
      const order = await place(user, service, 500);
      await panel.db.run(setRemains, [-20, order]);
      expect(await status(user, order)).toBe(statusText('0.50000', '0', 'Pending', '0'));
      await panel.db.run(setRemains, [900, order]);
      expect(await status(user, order)).toBe(statusText('0.50000', '0', 'Pending', '500'));
    });

    it.each(['999999999', '0', '-1', 'abc', '1.5', '1e3', '', '9999999999999999999999', '١'])(
      'answers order=%j with Incorrect order ID',
      async (order) => {
        const user = await panel.customer('0');
        expect(await status(user, order)).toBe(INCORRECT_ORDER);
      },
    );
  });

  describe('multiple orders', () => {
    it('follows the request order ("10" before "2"), answering duplicates once', async () => {
      const pending = (quantity: number) => statusText(money(quantity), '0', 'Pending', `${quantity}`);
      const text = await statuses(first, '10,2, 2 ,x,10,99999,,3, 10');
      expect(text).toBe(
        `{"10":${pending(100)},"2":${pending(20)},"x":${INCORRECT_ORDER},"99999":${INCORRECT_ORDER},"3":${pending(30)}}`,
      );
      // What a JS object would do with these keys: the raw text must not be that.
      expect(Object.keys(JSON.parse(text) as object)).toEqual(['2', '3', '10', '99999', 'x']);
    });

    it('answers each order with its own status, and unknown or invalid ids with a per-id error', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ rate: '0.90' });
      const a = await place(user, service, 1000);
      const b = await place(user, service, 2000);
      const c = await place(user, service, 3000);
      await adminUpdate(b, 'In progress', { startCount: 15 });
      await adminUpdate(c, 'Partial', { remains: 1000 });
      const text = await statuses(user, ` ${c} ,${a},${a}, -4 ,${b}, 1.0,999999999,${c}`);
      expect(text).toBe(
        `{"${c}":${statusText('1.80000', '0', 'Partial', '1000')},` +
          `"${a}":${statusText('0.90000', '0', 'Pending', '1000')},` +
          `"-4":${INCORRECT_ORDER},` +
          `"${b}":${statusText('1.80000', '15', 'In progress', '2000')},` +
          `"1.0":${INCORRECT_ORDER},` +
          `"999999999":${INCORRECT_ORDER}}`,
      );
    });

    it('answers exactly 100 distinct ids', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ rate: '1' });
      const own = await place(user, service, 10);
      const ids = [own, ...Array.from({ length: 99 }, (_, i) => 900_000 + i)];
      // Duplicates and blanks do not count toward the limit.
      const text = await statuses(user, [...ids, own, 900_000, '', ' '].join(','));
      const members = ids.map((id) =>
        id === own ? `"${id}":${statusText('0.01000', '0', 'Pending', '10')}` : `"${id}":${INCORRECT_ORDER}`,
      );
      expect(text).toBe(`{${members.join(',')}}`);
    });

    it('refuses 101 distinct ids, however they are sent', async () => {
      const user = await panel.customer('0');
      const ids = Array.from({ length: 101 }, (_, i) => String(1 + i));
      expect(await statuses(user, ids.join(','))).toBe(TOO_MANY);
      // 100 numbers and one non-numeric entry are 101 ids too.
      expect(await statuses(user, [...ids.slice(0, 100), 'x'].join(','))).toBe(TOO_MANY);
      const body = `key=${user.apiKey}&action=status&${ids.map((id) => `orders[]=${id}`).join('&')}`;
      const response = await fetch(panel.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(await response.text()).toBe(TOO_MANY);
      const json = await panel.api(
        { key: user.apiKey, action: 'status', orders: ids.join(', ') },
        { transport: 'json' },
      );
      expect(json.text).toBe(TOO_MANY);
    });

    it('answers a list with no id in it as Incorrect request', async () => {
      const user = await panel.customer('0');
      for (const orders of ['', ',', ' , ,'])
        expect(await statuses(user, orders)).toBe('{"error":"Incorrect request"}');
    });
  });

  describe('balance', () => {
    it.each([
      ['12.34567', '12.34567'],
      ['0', '0.00000'],
      ['0.00001', '0.00001'],
      ['5', '5.00000'],
      ['123456789.12345', '123456789.12345'],
    ])('answers a balance of %s exactly', async (funded, shown) => {
      const user = await panel.customer(funded);
      const response = await panel.api({ key: user.apiKey, action: 'balance' });
      expect(response.status).toBe(200);
      expect(response.contentType).toBe(JSON_TYPE);
      expect(response.text).toBe(`{"balance":"${shown}","currency":"USD"}`);
    });

    it('follows charges and refunds', async () => {
      const user = await panel.customer('12.34567');
      const service = await panel.createService({ rate: '0.33333' });
      const order = await place(user, service, 1000);
      expect(await balance(user)).toBe('{"balance":"12.01234","currency":"USD"}');
      await adminUpdate(order, 'Canceled');
      expect(await balance(user)).toBe('{"balance":"12.34567","currency":"USD"}');
    });
  });
});

/** Orders 1..10 of the first user: quantity × 1 per 1000. */
function money(quantity: number): string {
  return `${Math.floor(quantity / 1000)}.${String(quantity % 1000).padStart(3, '0')}00`;
}
