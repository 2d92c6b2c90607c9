import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { dispatchSubscriptionPosts } from '../../src/app/subscriptions/dispatch-subscription-posts.js';
import { recordPost } from '../../src/app/subscriptions/record-post.js';
import { generateApiKey } from '../../src/app/users/credentials.js';
import { findCancelRequest } from '../../src/store/cancel-requests.js';
import { sql } from '../../src/store/database.js';
import { findLedgerEntriesForOrder } from '../support/account-rows.js';
import { TestPanel, type TestUser, type Transport } from '../support/test-panel.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const INCORRECT_ORDER = '{"error":"Incorrect order ID"}';
const DISABLED = '{"error":"Cancel is disabled for this service"}';
const CANNOT = '{"error":"The order cannot be canceled"}';

const countRequests = sql('SELECT COUNT(*) AS n FROM cancel_requests WHERE order_id = ?');
const countAllRequests = sql('SELECT COUNT(*) AS n FROM cancel_requests');
const countLedger = sql('SELECT COUNT(*) AS n FROM ledger_entries');
const orderStatus = sql('SELECT status FROM orders WHERE id = ?');
const subscriptionRow = sql('SELECT status, unpaid_posts FROM orders WHERE id = ?');
const postIds = sql('SELECT id FROM orders WHERE parent_id = ? ORDER BY run_number');

/** One answer entry, as the raw text must read. */
const accepted = (order: number | string) => `{"order":${JSON.stringify(order)},"cancel":1}`;
const refused = (order: number | string, error: string) =>
  `{"order":${JSON.stringify(order)},"cancel":${error}}`;

describe('API v2 cancel', () => {
  let panel: TestPanel;
  /** rate 1 per 1000, cancel allowed. */
  let cancelable: number;
  /** rate 1 per 1000, cancel not allowed. */
  let locked: number;

  beforeAll(async () => {
    panel = await TestPanel.start();
    cancelable = await panel.createService({ rate: '1', cancel: true });
    locked = await panel.createService({ rate: '1', cancel: false });
  });
  afterAll(() => panel.close());

  async function place(user: TestUser, service: number, quantity: number): Promise<number> {
    const add = await panel.api({
      key: user.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/c',
      quantity,
    });
    expect(add.text).toMatch(/^\{"order":\d+\}$/);
    return add.json.order as number;
  }

  async function cancel(user: TestUser, params: Record<string, string | number>, transport?: Transport) {
    const response = await panel.api({ key: user.apiKey, action: 'cancel', ...params }, { transport });
    expect([response.status, response.contentType]).toEqual([200, JSON_TYPE]);
    return response.text;
  }

  async function balance(user: TestUser): Promise<string> {
    return ((await panel.api({ key: user.apiKey, action: 'balance' })).json as { balance: string }).balance;
  }

  async function statusOf(user: TestUser, order: number): Promise<string> {
    return (await panel.api({ key: user.apiKey, action: 'status', order })).text;
  }

  async function admin(
    orderId: number,
    status: string,
    extra: { startCount?: number; remains?: number } = {},
  ) {
    const result = await updateOrderStatus(panel.ctx, { orderId, status, ...extra });
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
  }

  async function refunds(order: number): Promise<string[]> {
    const entries = await findLedgerEntriesForOrder(panel.db, order);
    return entries
      .filter((entry) => entry.kind === 'refund')
      .map((entry) => `${entry.entry_key}=${entry.amount}`);
  }

  async function requests(order: number): Promise<number> {
    return Number((await panel.db.get<{ n: bigint }>(countRequests, [order]))!.n);
  }

  describe('an order not yet handed to fulfilment', () => {
    it.each<Transport>(['form', 'json', 'multipart', 'get'])(
      'is canceled and fully refunded at once (order alone, %s)',
      async (transport) => {
        const user = await panel.customer('10');
        const order = await place(user, cancelable, 777);
        expect(await balance(user)).toBe('9.22300');
        expect(await cancel(user, { order }, transport)).toBe(`[${accepted(order)}]`);
        expect(await balance(user)).toBe('10.00000');
        expect(await statusOf(user, order)).toBe(
          '{"charge":"0.00000","start_count":"0","status":"Canceled","remains":"777","currency":"USD"}',
        );
        expect(await refunds(order)).toEqual([`refund:canceled:${order}=77700`]);
        // Canceled at once: nothing was left for the admin to decide.
        expect(await requests(order)).toBe(0);
      },
    );

    it('refunds exactly what was charged, rounded up at placing', async () => {
      const user = await panel.customer('1.23456');
      const service = await panel.createService({ rate: '1.23457', cancel: true });
      // 1.23457 × 777 / 1000 = 0.95926089 → charged 0.95927.
      const order = await place(user, service, 777);
      expect(await balance(user)).toBe('0.27529');
      expect(await cancel(user, { orders: String(order) })).toBe(`[${accepted(order)}]`);
      expect(await balance(user)).toBe('1.23456');
    });
  });

  describe('refusals', () => {
    it('answers every rule in one multi-id request, in request order, duplicates once', async () => {
      const user = await panel.customer('10');
      const other = await panel.customer('10');
      const pending = await place(user, cancelable, 100);
      const running = await place(user, cancelable, 200);
      const completed = await place(user, cancelable, 300);
      const partial = await place(user, cancelable, 400);
      const canceled = await place(user, cancelable, 500);
      const noCancel = await place(user, locked, 600);
      const theirs = await place(other, cancelable, 700);
      await admin(running, 'In progress', { startCount: 5 });
      await admin(completed, 'Completed');
      await admin(partial, 'Partial', { remains: 100 });
      await admin(canceled, 'Canceled');
      const text = await cancel(user, {
        orders: ` ${completed},${pending} ,x,${theirs},${pending},${noCancel},999999999,${running},${partial},${canceled},-3`,
      });
      expect(text).toBe(
        `[${refused(completed, CANNOT)},${accepted(pending)},${refused('x', INCORRECT_ORDER)},` +
          `${refused(theirs, INCORRECT_ORDER)},${refused(noCancel, DISABLED)},` +
          `${refused(999999999, INCORRECT_ORDER)},${accepted(running)},${refused(partial, CANNOT)},` +
          `${refused(canceled, CANNOT)},${refused('-3', INCORRECT_ORDER)}]`,
      );
      // The other user's order is untouched, and the refused ones are as they were.
      expect(await statusOf(other, theirs)).toContain('"status":"Pending"');
      expect(await requests(theirs)).toBe(0);
      for (const [order, status] of [
        [completed, 'completed'],
        [partial, 'partial'],
        [canceled, 'canceled'],
        [noCancel, 'pending'],
        [running, 'in_progress'],
      ] as const) {
        expect((await panel.db.get<{ status: string }>(orderStatus, [order]))!.status).toBe(status);
      }
    });

    it('answers an order written several ways ("7,07, 7") once, at its first mention', async () => {
      const user = await panel.customer('10');
      const order = await place(user, cancelable, 100);
      const other = await place(user, cancelable, 200);
      expect(await cancel(user, { orders: `${order},0${order}, ${order},${other},00${other}` })).toBe(
        `[${accepted(order)},${accepted(other)}]`,
      );
      expect(await refunds(order)).toEqual([`refund:canceled:${order}=10000`]);
      expect(await refunds(other)).toEqual([`refund:canceled:${other}=20000`]);
      expect(await balance(user)).toBe('10.00000');
      // Refused once too, however it is written.
      expect(await cancel(user, { orders: `0${order},${order}` })).toBe(`[${refused(order, CANNOT)}]`);
    });

    it('answers a single order with the same shape, for each error', async () => {
      const user = await panel.customer('10');
      const other = await panel.customer('10');
      const noCancel = await place(user, locked, 100);
      const done = await place(user, cancelable, 100);
      await admin(done, 'Completed');
      const theirs = await place(other, cancelable, 100);
      expect(await cancel(user, { order: noCancel })).toBe(`[${refused(noCancel, DISABLED)}]`);
      expect(await cancel(user, { order: done })).toBe(`[${refused(done, CANNOT)}]`);
      expect(await cancel(user, { order: theirs })).toBe(`[${refused(theirs, INCORRECT_ORDER)}]`);
      expect(await cancel(user, { order: 'abc' })).toBe(`[${refused('abc', INCORRECT_ORDER)}]`);
      expect(await cancel(user, { order: 0 })).toBe(`[${refused('0', INCORRECT_ORDER)}]`);
      // Another user cannot tell a foreign order from a missing one, nor cancel it.
      expect(await cancel(other, { order: noCancel })).toBe(`[${refused(noCancel, INCORRECT_ORDER)}]`);
      expect(await statusOf(other, theirs)).toContain('"status":"Pending"');
    });

    it('refuses more than 100 ids and a request with no id at all', async () => {
      const user = await panel.customer('10');
      const own = await place(user, cancelable, 10);
      const ids = [own, ...Array.from({ length: 99 }, (_, i) => 900_000 + i)];
      const text = await cancel(user, { orders: [...ids, own, ''].join(',') });
      expect(text).toBe(
        `[${ids.map((id) => (id === own ? accepted(id) : refused(id, INCORRECT_ORDER))).join(',')}]`,
      );
      expect(await cancel(user, { orders: [...ids, 900_099].join(',') })).toBe(
        '{"error":"Too many IDs, maximum is 100"}',
      );
      for (const params of [{}, { orders: '' }, { orders: ' , ' }, { order: '' }] as Record<string, string>[])
        expect(await cancel(user, params)).toBe('{"error":"Incorrect request"}');
    });

    it('refuses a missing or bad key before anything else, and changes nothing', async () => {
      const user = await panel.customer('10');
      const order = await place(user, cancelable, 100);
      const ledgerBefore = (await panel.db.get<{ n: bigint }>(countLedger))!.n;
      for (const key of [undefined, '', generateApiKey(), `${user.apiKey}x`]) {
        for (const transport of ['form', 'json', 'get'] as const) {
          const params = { action: 'cancel', order };
          const response = await panel.api(key === undefined ? params : { key, ...params }, { transport });
          expect([response.status, response.contentType, response.text]).toEqual([
            200,
            JSON_TYPE,
            '{"error":"Invalid API key"}',
          ]);
        }
      }
      expect((await panel.db.get<{ n: bigint }>(countLedger))!.n).toBe(ledgerBefore);
      expect(await statusOf(user, order)).toContain('"status":"Pending"');
      expect(await balance(user)).toBe('9.90000');
    });
  });

  describe('an order being fulfilled', () => {
    it('records one cancel request, then refunds exactly what the admin settles as Partial', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ rate: '1.23457', cancel: true });
      const order = await place(user, service, 777);
      await admin(order, 'In progress', { startCount: 40 });
      expect(await cancel(user, { order })).toBe(`[${accepted(order)}]`);
      expect(await cancel(user, { orders: `${order}` })).toBe(`[${accepted(order)}]`);
      expect(await requests(order)).toBe(1);
      expect((await findCancelRequest(panel.db, order))!.status).toBe('pending');
      // Nothing moved yet: the admin decides.
      expect(await balance(user)).toBe('9.04073');
      expect(await statusOf(user, order)).toContain('"status":"In progress"');

      await admin(order, 'Partial', { remains: 100 });
      // 0.95927 × 100 / 777 = 0.1234581… → 0.12345 (down).
      expect(await refunds(order)).toEqual([`refund:partial:${order}=12345`]);
      expect(await balance(user)).toBe('9.16418');
      expect((await findCancelRequest(panel.db, order))!.status).toBe('done');
      expect(await cancel(user, { order })).toBe(`[${refused(order, CANNOT)}]`);
      expect(await refunds(order)).toEqual([`refund:partial:${order}=12345`]);
    });

    it('closes the request as done on Canceled (full refund) and as rejected on Completed', async () => {
      const user = await panel.customer('10');
      const a = await place(user, cancelable, 1000);
      const b = await place(user, cancelable, 2000);
      await admin(a, 'Processing');
      await admin(b, 'In progress');
      expect(await cancel(user, { orders: `${a},${b}` })).toBe(`[${accepted(a)},${accepted(b)}]`);
      await admin(a, 'Canceled');
      await admin(b, 'Completed');
      expect((await findCancelRequest(panel.db, a))!.status).toBe('done');
      expect((await findCancelRequest(panel.db, b))!.status).toBe('rejected');
      expect(await refunds(a)).toEqual([`refund:canceled:${a}=100000`]);
      expect(await refunds(b)).toEqual([]);
      expect(await balance(user)).toBe('8.00000');
    });

    it('answers concurrent cancels of one order with 1 each and records one request', async () => {
      const user = await panel.customer('10');
      const order = await place(user, cancelable, 100);
      await admin(order, 'In progress');
      const before = Number((await panel.db.get<{ n: bigint }>(countAllRequests))!.n);
      const answers = await Promise.all(Array.from({ length: 8 }, () => cancel(user, { order })));
      expect(answers).toEqual(Array.from({ length: 8 }, () => `[${accepted(order)}]`));
      expect(Number((await panel.db.get<{ n: bigint }>(countAllRequests))!.n)).toBe(before + 1);
    });
  });

  describe('never two refunds', () => {
    it('cancel twice: the second is refused and refunds nothing', async () => {
      const user = await panel.customer('10');
      const order = await place(user, cancelable, 500);
      expect(await cancel(user, { order })).toBe(`[${accepted(order)}]`);
      expect(await cancel(user, { order })).toBe(`[${refused(order, CANNOT)}]`);
      expect(await cancel(user, { orders: `${order},${order}` })).toBe(`[${refused(order, CANNOT)}]`);
      expect(await refunds(order)).toEqual([`refund:canceled:${order}=50000`]);
      expect(await balance(user)).toBe('10.00000');
    });

    it('concurrent cancels of a pending order: exactly one wins and refunds once', async () => {
      const user = await panel.customer('10');
      const order = await place(user, cancelable, 500);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => cancel(user, i % 2 === 0 ? { order } : { orders: `${order}` })),
      );
      expect(answers.filter((text) => text === `[${accepted(order)}]`)).toHaveLength(1);
      expect(answers.filter((text) => text === `[${refused(order, CANNOT)}]`)).toHaveLength(9);
      expect(await refunds(order)).toEqual([`refund:canceled:${order}=50000`]);
      expect(await balance(user)).toBe('10.00000');
    });

    it('cancel then admin cancel, and admin cancel then cancel: one refund', async () => {
      const user = await panel.customer('10');
      const first = await place(user, cancelable, 500);
      expect(await cancel(user, { order: first })).toBe(`[${accepted(first)}]`);
      const again = await updateOrderStatus(panel.ctx, { orderId: first, status: 'Canceled' });
      expect(again).toEqual({
        ok: false,
        failure: { code: 'INVALID_TRANSITION', from: 'Canceled', to: 'Canceled' },
      });

      const second = await place(user, cancelable, 500);
      await admin(second, 'Canceled');
      expect(await cancel(user, { order: second })).toBe(`[${refused(second, CANNOT)}]`);
      expect(await refunds(first)).toEqual([`refund:canceled:${first}=50000`]);
      expect(await refunds(second)).toEqual([`refund:canceled:${second}=50000`]);
      expect(await balance(user)).toBe('10.00000');
    });

    it('a cancel racing an admin cancel refunds once', async () => {
      const user = await panel.customer('10');
      for (let i = 0; i < 5; i++) {
        const order = await place(user, cancelable, 500);
        const [api, byAdmin] = await Promise.all([
          cancel(user, { order }),
          updateOrderStatus(panel.ctx, { orderId: order, status: 'Canceled' }),
        ]);
        // Whichever came second was refused.
        expect(api === `[${accepted(order)}]`).toBe(!byAdmin.ok);
        expect(await refunds(order)).toEqual([`refund:canceled:${order}=50000`]);
      }
      expect(await balance(user)).toBe('10.00000');
    });
  });

  describe('a subscription', () => {
    it('is canceled at once, with no refund, and only once', async () => {
      const service = await panel.createService({
        type: 'Subscriptions',
        rate: '1',
        min: 100,
        max: 5000,
        cancel: true,
      });
      const user = await panel.customer('10');
      const add = await panel.api({
        key: user.apiKey,
        action: 'add',
        service,
        username: 'someone',
        min: 100,
        max: 200,
        delay: 0,
      });
      const order = add.json.order as number;
      expect(await cancel(user, { order })).toBe(`[${accepted(order)}]`);
      expect((await panel.api({ key: user.apiKey, action: 'status', order })).json.status).toBe('Canceled');
      expect(await cancel(user, { order })).toBe(`[${refused(order, CANNOT)}]`);
      expect(await balance(user)).toBe('10.00000');
    });

    async function subscribe(user: TestUser, service: number, oldPosts: number): Promise<number> {
      const add = await panel.api({
        key: user.apiKey,
        action: 'add',
        service,
        username: 'someone',
        min: 100,
        max: 200,
        delay: 0,
        old_posts: oldPosts,
      });
      expect(add.text).toMatch(/^\{"order":\d+\}$/);
      return add.json.order as number;
    }

    async function post(subscriptionId: number, quantity: number): Promise<number> {
      const recorded = await recordPost(panel.ctx, { subscriptionId, quantity });
      if (!recorded.ok) throw new Error(JSON.stringify(recorded.failure));
      return recorded.value.id;
    }

    async function subscription(id: number) {
      const found = (await panel.db.get<{ status: string; unpaid_posts: bigint }>(subscriptionRow, [id]))!;
      return { status: found.status, unpaidPosts: Number(found.unpaid_posts) };
    }

    it('cancels and refunds its Pending posts, drops its waiting ones, leaves one In progress going', async () => {
      // 1 per 1000: 100 → 0.10000, 150 → 0.15000, 200 → 0.20000.
      const service = await panel.createService({
        type: 'Subscriptions',
        rate: '1',
        min: 100,
        max: 5000,
        cancel: true,
        allowOldPosts: true,
      });
      const user = await panel.customer('10');
      // Two old posts wait for the dispatcher, which has not run yet.
      const order = await subscribe(user, service, 2);
      const first = await post(order, 100);
      const running = await post(order, 150);
      const third = await post(order, 200);
      await admin(running, 'In progress', { startCount: 7 });
      expect(await balance(user)).toBe('9.55000');
      expect(await subscription(order)).toEqual({ status: 'active', unpaidPosts: 2 });

      expect(await cancel(user, { order })).toBe(`[${accepted(order)}]`);
      expect(await subscription(order)).toEqual({ status: 'canceled', unpaidPosts: 0 });
      // Each Pending post got exactly its charge back; the one In progress is as it was.
      expect(await refunds(first)).toEqual([`refund:canceled:${first}=10000`]);
      expect(await refunds(third)).toEqual([`refund:canceled:${third}=20000`]);
      expect(await refunds(running)).toEqual([]);
      expect(await balance(user)).toBe('9.85000');
      expect(await statusOf(user, first)).toBe(
        '{"charge":"0.00000","start_count":"0","status":"Canceled","remains":"100","currency":"USD"}',
      );
      expect(await statusOf(user, running)).toBe(
        '{"charge":"0.15000","start_count":"7","status":"In progress","remains":"150","currency":"USD"}',
      );
      expect(await requests(running)).toBe(0);
      // The posts that waited are gone: the dispatcher creates nothing for it.
      expect((await dispatchSubscriptionPosts(panel.ctx, { random: () => 0 })).created).toBe(0);
      // `status`: the charge is what its posts cost now, the sum of each charge less its refunds.
      expect(await statusOf(user, order)).toBe(
        `{"status":"Canceled","expiry":null,"posts":"3","orders":[${first},${running},${third}],` +
          '"charge":"0.15000","currency":"USD"}',
      );
      // The post In progress is canceled on its own, through a request, as any such order.
      expect(await cancel(user, { order: running })).toBe(`[${accepted(running)}]`);
      expect(await requests(running)).toBe(1);
      expect(await cancel(user, { order })).toBe(`[${refused(order, CANNOT)}]`);
      expect(await refunds(first)).toEqual([`refund:canceled:${first}=10000`]);
    });

    it('racing the dispatcher: every post created is canceled and refunded, none is left charged', async () => {
      const service = await panel.createService({
        type: 'Subscriptions',
        rate: '1',
        min: 100,
        max: 5000,
        cancel: true,
        allowOldPosts: true,
      });
      for (let i = 0; i < 4; i++) {
        const user = await panel.customer('10');
        const order = await subscribe(user, service, 5);
        const [answer] = await Promise.all([
          cancel(user, { order }),
          dispatchSubscriptionPosts(panel.ctx, { random: () => 0 }),
        ]);
        expect(answer).toBe(`[${accepted(order)}]`);
        expect(await subscription(order)).toEqual({ status: 'canceled', unpaidPosts: 0 });
        // Whichever came first, the posts that exist were canceled with a full refund each.
        const ids = (await panel.db.all<{ id: bigint }>(postIds, [order])).map((row) => Number(row.id));
        expect([0, 5]).toContain(ids.length);
        for (const id of ids) expect(await refunds(id)).toEqual([`refund:canceled:${id}=10000`]);
        expect(await balance(user)).toBe('10.00000');
      }
    });
  });
});
