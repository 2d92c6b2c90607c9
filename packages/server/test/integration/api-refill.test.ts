import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { updateRefillStatus } from '../../src/app/refills/update-refill-status.js';
import { DAY_MS } from '../../src/domain/lifecycle-rules.js';
import { sql } from '../../src/store/database.js';
import { findRefillsForOrder } from '../support/order-rows.js';
import { TestPanel, type TestUser, type Transport } from '../support/test-panel.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const HOUR_MS = 60 * 60 * 1000;
const INVALID_KEY = '{"error":"Invalid API key"}';
const INCORRECT_REQUEST = '{"error":"Incorrect request"}';
const INCORRECT_ORDER = '{"error":"Incorrect order ID"}';
const REFILL_NOT_FOUND = '{"error":"Refill not found"}';
const REFILL_DISABLED = '{"error":"Refill is disabled for this service"}';
const NOT_COMPLETED = '{"error":"The order is not completed"}';
const DAYS_OVER = '{"error":"Refill days are over"}';
const TOO_SOON = '{"error":"The order was completed or refill was requested less than 24 hours ago"}';
const TOO_MANY = '{"error":"Too many IDs, maximum is 100"}';

const countRefills = sql('SELECT COUNT(*) AS n FROM refills');
const refillAudit = sql('SELECT actor, action, target, details FROM audit_log WHERE target = ? ORDER BY id');

describe('API v2 refill and refill_status', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  async function call(params: Record<string, string | number>, transport?: Transport): Promise<string> {
    const response = await panel.api(params, { transport });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe(JSON_TYPE);
    return response.text;
  }

  const refill = (user: TestUser, order: number | string) =>
    call({ key: user.apiKey, action: 'refill', order });
  const refills = (user: TestUser, orders: string) => call({ key: user.apiKey, action: 'refill', orders });
  const refillStatus = (user: TestUser, id: number | string) =>
    call({ key: user.apiKey, action: 'refill_status', refill: id });
  const refillStatuses = (user: TestUser, ids: string) =>
    call({ key: user.apiKey, action: 'refill_status', refills: ids });

  async function place(user: TestUser, service: number): Promise<number> {
    const add = await panel.api({
      key: user.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/refill',
      quantity: 100,
    });
    expect(add.text).toMatch(/^\{"order":\d+\}$/);
    return add.json.order as number;
  }

  async function setOrderStatus(orderId: number, status: string, remains?: number): Promise<void> {
    const result = await updateOrderStatus(panel.ctx, { orderId, status, remains });
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
  }

  /** An order of `user` on `service`, Completed now (the refill window starts here). */
  async function completedOrder(user: TestUser, service: number): Promise<number> {
    const order = await place(user, service);
    await setOrderStatus(order, 'Completed');
    return order;
  }

  async function setRefill(refillId: number, status: string): Promise<void> {
    const result = await updateRefillStatus(panel.ctx, { refillId, status });
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
  }

  /** Asks for a refill that must be created: checks the answer against the stored refill, returns its id. */
  async function refillCreated(user: TestUser, order: number): Promise<number> {
    const text = await refill(user, order);
    const stored = await findRefillsForOrder(panel.db, order);
    const newest = stored[stored.length - 1];
    expect(newest, text).toBeDefined();
    expect(text).toBe(`{"refill":"${newest!.id}"}`);
    return Number(newest!.id);
  }

  const refillCount = async () => Number((await panel.db.get<{ n: bigint }>(countRefills))!.n);

  describe('refill with order', () => {
    it('creates a Pending refill of a Completed order and answers its id as a string', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const order = await completedOrder(user, service);
      const text = await refill(user, order);
      expect(text).toMatch(/^\{"refill":"\d+"\}$/);
      const stored = await findRefillsForOrder(panel.db, order);
      expect(stored).toEqual([
        {
          id: BigInt(JSON.parse(text).refill as string),
          order_id: BigInt(order),
          user_id: BigInt(user.id),
          status: 'pending',
          created_at: BigInt(panel.clock.now()),
          updated_at: BigInt(panel.clock.now()),
        },
      ]);
      expect(await refillStatus(user, Number(stored[0]!.id))).toBe('{"status":"Pending"}');
    });

    it('refuses a service without refill, before looking at the order state', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ refill: false });
      const completed = await completedOrder(user, service);
      const pending = await place(user, service);
      const before = await refillCount();
      expect(await refill(user, completed)).toBe(REFILL_DISABLED);
      expect(await refill(user, pending)).toBe(REFILL_DISABLED);
      expect(await refillCount()).toBe(before);
    });

    it('refuses a subscription, whatever its service says', async () => {
      const user = await panel.customer('50');
      const service = await panel.createService({
        type: 'Subscriptions',
        refill: true,
        min: 50,
        max: 5000,
        category: 'Subscriptions',
      });
      const add = await panel.api({
        key: user.apiKey,
        action: 'add',
        service,
        username: 'someone',
        min: 100,
        max: 200,
        delay: 0,
      });
      expect(add.text).toMatch(/^\{"order":\d+\}$/);
      expect(await refill(user, add.json.order as number)).toBe(REFILL_DISABLED);
    });

    it.each(['Pending', 'In progress', 'Processing', 'Canceled'])(
      'refuses a %s order as not completed',
      async (status) => {
        const user = await panel.customer('10');
        const service = await panel.createService({ refill: true });
        const order = await place(user, service);
        if (status !== 'Pending') await setOrderStatus(order, status);
        expect(await refill(user, order)).toBe(NOT_COMPLETED);
        expect(await findRefillsForOrder(panel.db, order)).toEqual([]);
      },
    );

    it('refills a Partial order', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const order = await place(user, service);
      await setOrderStatus(order, 'Partial', 40);
      await refillCreated(user, order);
    });

    it('allows day 29 and refuses day 31 of the default 30-day window, counted from completion', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const early = await place(user, service);
      const late = await place(user, service);
      // Placed 20 days before completion: the window starts at completion, not at placing.
      panel.clock.advance(20 * DAY_MS);
      await setOrderStatus(early, 'Completed');
      await setOrderStatus(late, 'Completed');
      panel.clock.advance(29 * DAY_MS);
      await refillCreated(user, early);
      panel.clock.advance(2 * DAY_MS);
      expect(await refill(user, late)).toBe(DAYS_OVER);
      // The window outranks the 24-hour rule: `early` has an open refill, but its days are over.
      expect(await refill(user, early)).toBe(DAYS_OVER);
      expect(await findRefillsForOrder(panel.db, late)).toEqual([]);
    });

    it('closes the window exactly refill days after completion', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const onTime = await completedOrder(user, service);
      const tooLate = await completedOrder(user, service);
      panel.clock.advance(30 * DAY_MS);
      await refillCreated(user, onTime);
      panel.clock.advance(1);
      expect(await refill(user, tooLate)).toBe(DAYS_OVER);
    });

    it("uses the service's own refill days", async () => {
      const user = await panel.customer('10');
      const weekly = await panel.createService({ refill: true, refillDays: 7 });
      const standard = await panel.createService({ refill: true });
      const day6 = await completedOrder(user, weekly);
      const day8 = await completedOrder(user, weekly);
      const standardDay8 = await completedOrder(user, standard);
      panel.clock.advance(6 * DAY_MS);
      await refillCreated(user, day6);
      panel.clock.advance(2 * DAY_MS);
      expect(await refill(user, day8)).toBe(DAYS_OVER);
      await refillCreated(user, standardDay8);
    });

    it('keeps one open refill per order, however long it stays open', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const order = await completedOrder(user, service);
      const first = await refillCreated(user, order);
      expect(await refill(user, order)).toBe(TOO_SOON);
      panel.clock.advance(3 * DAY_MS);
      expect(await refill(user, order)).toBe(TOO_SOON);
      await setRefill(first, 'In progress');
      expect(await refill(user, order)).toBe(TOO_SOON);
      // Closed more than 24 hours after it was asked for: a new request is welcome at once.
      await setRefill(first, 'Completed');
      const second = await refillCreated(user, order);
      expect(second).toBeGreaterThan(first);
      expect((await findRefillsForOrder(panel.db, order)).map((r) => [Number(r.id), r.status])).toEqual([
        [first, 'completed'],
        [second, 'pending'],
      ]);
    });

    it.each(['Completed', 'Rejected'])(
      'refuses a new request within 24 hours of the last one, even once it is %s',
      async (closed) => {
        const user = await panel.customer('10');
        const service = await panel.createService({ refill: true });
        const order = await completedOrder(user, service);
        const first = await refillCreated(user, order);
        panel.clock.advance(HOUR_MS);
        await setRefill(first, closed);
        expect(await refillStatus(user, first)).toBe(`{"status":"${closed}"}`);
        expect(await refill(user, order)).toBe(TOO_SOON);
        panel.clock.advance(DAY_MS - HOUR_MS - 1);
        expect(await refill(user, order)).toBe(TOO_SOON);
        panel.clock.advance(1);
        await refillCreated(user, order);
        expect(await findRefillsForOrder(panel.db, order)).toHaveLength(2);
      },
    );

    it("answers another user's order exactly as a missing one, and creates nothing", async () => {
      const owner = await panel.customer('10');
      const other = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const order = await completedOrder(owner, service);
      const before = await refillCount();
      expect(await refill(other, order)).toBe(INCORRECT_ORDER);
      for (const id of ['999999999', '0', '-1', 'abc', '1.5', '', ' ', '9999999999999999999999'])
        expect(await refill(other, id), id).toBe(INCORRECT_ORDER);
      expect(await call({ key: other.apiKey, action: 'refill' })).toBe(INCORRECT_ORDER);
      expect(await refillCount()).toBe(before);
      // The owner still can, with the id padded as careless clients send it.
      expect(await refill(owner, ` ${order} `)).toMatch(/^\{"refill":"\d+"\}$/);
    });

    it('creates exactly one refill when 20 requests for one order arrive together', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const order = await completedOrder(user, service);
      const answers = await Promise.all(Array.from({ length: 20 }, () => refill(user, order)));
      const stored = await findRefillsForOrder(panel.db, order);
      expect(stored).toHaveLength(1);
      const created = `{"refill":"${stored[0]!.id}"}`;
      expect(answers.filter((text) => text === created)).toHaveLength(1);
      expect(answers.filter((text) => text === TOO_SOON)).toHaveLength(19);
    });
  });

  describe('refill with orders', () => {
    it('answers each distinct id once, in request order, with numbers where the id is one', async () => {
      const user = await panel.customer('10');
      const other = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const noRefill = await panel.createService({ refill: false });
      const fresh = await completedOrder(user, service);
      const pending = await place(user, service);
      const disabled = await completedOrder(user, noRefill);
      const open = await completedOrder(user, service);
      const openRefill = await refillCreated(user, open);
      const others = await completedOrder(other, service);

      const text = await refills(
        user,
        ` ${fresh} ,${pending},abc,${fresh},${disabled}, -4 ,${others},999999999,${open},0${fresh},1.0,,${pending}`,
      );
      const created = await findRefillsForOrder(panel.db, fresh);
      expect(created).toHaveLength(1);
      expect(text).toBe(
        '[' +
          [
            `{"order":${fresh},"refill":${created[0]!.id}}`,
            `{"order":${pending},"refill":${NOT_COMPLETED}}`,
            `{"order":"abc","refill":${INCORRECT_ORDER}}`,
            `{"order":${disabled},"refill":${REFILL_DISABLED}}`,
            `{"order":"-4","refill":${INCORRECT_ORDER}}`,
            `{"order":${others},"refill":${INCORRECT_ORDER}}`,
            `{"order":999999999,"refill":${INCORRECT_ORDER}}`,
            `{"order":${open},"refill":${TOO_SOON}}`,
            `{"order":"1.0","refill":${INCORRECT_ORDER}}`,
          ].join(',') +
          ']',
      );
      expect(await findRefillsForOrder(panel.db, others)).toEqual([]);
      expect((await findRefillsForOrder(panel.db, open)).map((r) => Number(r.id))).toEqual([openRefill]);
    });

    it('reads ids sent as an array (orders[] in a form, a JSON array)', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const a = await completedOrder(user, service);
      const b = await completedOrder(user, service);
      const body = `key=${user.apiKey}&action=refill&orders[]=${b}&orders[]=${a}&orders[]=x`;
      const response = await fetch(panel.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      const [refillA] = await findRefillsForOrder(panel.db, a);
      const [refillB] = await findRefillsForOrder(panel.db, b);
      expect(await response.text()).toBe(
        `[{"order":${b},"refill":${refillB!.id}},{"order":${a},"refill":${refillA!.id}},` +
          `{"order":"x","refill":${INCORRECT_ORDER}}]`,
      );
      const json = await fetch(panel.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: user.apiKey, action: 'refill', orders: [a, String(b)] }),
      });
      expect(await json.text()).toBe(
        `[{"order":${a},"refill":${TOO_SOON}},{"order":${b},"refill":${TOO_SOON}}]`,
      );
    });

    it('refuses 101 distinct ids and a list with no id, creating nothing', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const order = await completedOrder(user, service);
      const ids = [order, ...Array.from({ length: 100 }, (_, i) => 900_000 + i)];
      expect(await refills(user, ids.join(','))).toBe(TOO_MANY);
      for (const list of ['', ',', ' , ']) expect(await refills(user, list)).toBe(INCORRECT_REQUEST);
      expect(await findRefillsForOrder(panel.db, order)).toEqual([]);
      // 100 distinct ids (duplicates do not count) are answered.
      const text = await refills(user, [...ids.slice(0, 100), order, order].join(','));
      expect(JSON.parse(text)).toHaveLength(100);
      expect(await findRefillsForOrder(panel.db, order)).toHaveLength(1);
    });

    it('creates one refill per order when multi requests race over the same orders', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const orders: number[] = [];
      for (let i = 0; i < 5; i++) orders.push(await completedOrder(user, service));
      const list = orders.join(',');
      const answers = await Promise.all(Array.from({ length: 10 }, () => refills(user, list)));
      for (const [index, order] of orders.entries()) {
        const stored = await findRefillsForOrder(panel.db, order);
        expect(stored).toHaveLength(1);
        const entries = answers.map((text) => JSON.stringify(JSON.parse(text)[index]));
        expect(entries.filter((e) => e === `{"order":${order},"refill":${stored[0]!.id}}`)).toHaveLength(1);
        expect(entries.filter((e) => e === `{"order":${order},"refill":${TOO_SOON}}`)).toHaveLength(9);
      }
    });
  });

  describe('refill_status', () => {
    it("answers each status label, and another user's refill exactly as a missing one", async () => {
      const owner = await panel.customer('10');
      const other = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const order = await completedOrder(owner, service);
      const id = await refillCreated(owner, order);
      expect(await refillStatus(owner, id)).toBe('{"status":"Pending"}');
      await setRefill(id, 'in progress');
      expect(await refillStatus(owner, ` ${id} `)).toBe('{"status":"In progress"}');
      await setRefill(id, 'Rejected');
      expect(await refillStatus(owner, id)).toBe('{"status":"Rejected"}');

      const missing = await refillStatus(other, 999999999);
      expect(missing).toBe(REFILL_NOT_FOUND);
      expect(await refillStatus(other, id)).toBe(missing);
      for (const bad of ['0', '-1', 'abc', '', '1e3', '9999999999999999999999'])
        expect(await refillStatus(owner, bad), bad).toBe(REFILL_NOT_FOUND);
      expect(await call({ key: owner.apiKey, action: 'refill_status' })).toBe(REFILL_NOT_FOUND);
    });

    it('answers refills in request order, duplicates once, unknown and foreign ids as not found', async () => {
      const owner = await panel.customer('10');
      const other = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const done = await refillCreated(owner, await completedOrder(owner, service));
      const pending = await refillCreated(owner, await completedOrder(owner, service));
      const foreign = await refillCreated(other, await completedOrder(other, service));
      await setRefill(done, 'Completed');
      const text = await refillStatuses(
        owner,
        `${pending}, ${done} ,x,${foreign},${pending},999999999,0${done}, 1.0 ,${done}`,
      );
      expect(text).toBe(
        '[' +
          [
            `{"refill":${pending},"status":"Pending"}`,
            `{"refill":${done},"status":"Completed"}`,
            `{"refill":"x","status":${REFILL_NOT_FOUND}}`,
            `{"refill":${foreign},"status":${REFILL_NOT_FOUND}}`,
            `{"refill":999999999,"status":${REFILL_NOT_FOUND}}`,
            `{"refill":"1.0","status":${REFILL_NOT_FOUND}}`,
          ].join(',') +
          ']',
      );
      // The same list from the other user: only its own refill is found.
      expect(await refillStatuses(other, `${foreign},${pending}`)).toBe(
        `[{"refill":${foreign},"status":"Pending"},{"refill":${pending},"status":${REFILL_NOT_FOUND}}]`,
      );
      const json = await call(
        { key: owner.apiKey, action: 'refill_status', refills: `${done},${pending}` },
        'json',
      );
      expect(json).toBe(`[{"refill":${done},"status":"Completed"},{"refill":${pending},"status":"Pending"}]`);
    });

    it('refuses 101 distinct ids and a list with no id', async () => {
      const user = await panel.customer('0');
      const ids = Array.from({ length: 101 }, (_, i) => String(i + 1));
      expect(await refillStatuses(user, ids.join(','))).toBe(TOO_MANY);
      expect(await refillStatuses(user, [...ids.slice(0, 100), 'x'].join(','))).toBe(TOO_MANY);
      expect(await refillStatuses(user, ' , ')).toBe(INCORRECT_REQUEST);
      const hundred = await refillStatuses(user, [...ids.slice(0, 100), '1', ' 1 '].join(','));
      expect(hundred).toBe(
        `[${ids
          .slice(0, 100)
          .map((id) => `{"refill":${id},"status":${REFILL_NOT_FOUND}}`)
          .join(',')}]`,
      );
    });
  });

  describe('admin moves (updateRefillStatus)', () => {
    it('follows the refill state machine, records each move, and refuses the rest', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const order = await completedOrder(user, service);
      const id = await refillCreated(user, order);
      const createdAt = new Date(panel.clock.now()).toISOString();

      const same = await updateRefillStatus(panel.ctx, { refillId: id, status: 'Pending' });
      expect(same).toEqual({
        ok: false,
        failure: {
          code: 'INVALID_INPUT',
          field: 'status',
          reason: 'a refill cannot go from Pending to Pending',
        },
      });

      panel.clock.advance(HOUR_MS);
      const progress = await updateRefillStatus(panel.ctx, { refillId: id, status: 'In progress' });
      expect(progress).toEqual({
        ok: true,
        value: {
          id,
          orderId: order,
          userId: user.id,
          status: 'In progress',
          createdAt,
          updatedAt: new Date(panel.clock.now()).toISOString(),
        },
      });
      const back = await updateRefillStatus(panel.ctx, { refillId: id, status: 'Pending' });
      expect(back.ok || back.failure).toEqual({
        code: 'INVALID_INPUT',
        field: 'status',
        reason: 'a refill cannot go from In progress to Pending',
      });

      panel.clock.advance(HOUR_MS);
      const completed = await updateRefillStatus(panel.ctx, { refillId: id, status: 'completed' });
      expect(completed.ok && completed.value).toMatchObject({
        status: 'Completed',
        updatedAt: new Date(panel.clock.now()).toISOString(),
      });
      for (const status of ['Rejected', 'In progress', 'Completed', 'Pending']) {
        const after = await updateRefillStatus(panel.ctx, { refillId: id, status });
        expect(after.ok || after.failure, status).toEqual({
          code: 'INVALID_INPUT',
          field: 'status',
          reason: `a refill cannot go from Completed to ${status}`,
        });
      }
      expect(await refillStatus(user, id)).toBe('{"status":"Completed"}');

      const audit = await panel.db.all<{ actor: string; action: string; target: string; details: string }>(
        refillAudit,
        [`refill:${id}`],
      );
      expect(audit).toEqual([
        {
          actor: 'cli',
          action: 'refill.status',
          target: `refill:${id}`,
          details: `{"order":${order},"from":"Pending","to":"In progress"}`,
        },
        {
          actor: 'cli',
          action: 'refill.status',
          target: `refill:${id}`,
          details: `{"order":${order},"from":"In progress","to":"Completed"}`,
        },
      ]);
    });

    it('rejects straight from Pending, and refuses an unknown status or refill', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const id = await refillCreated(user, await completedOrder(user, service));
      const rejected = await updateRefillStatus(panel.ctx, { refillId: id, status: 'Rejected' });
      expect(rejected.ok && rejected.value.status).toBe('Rejected');
      const shipped = await updateRefillStatus(panel.ctx, { refillId: id, status: 'Shipped' });
      expect(shipped).toEqual({
        ok: false,
        failure: { code: 'INVALID_INPUT', field: 'status', reason: 'In progress, Completed or Rejected' },
      });
      const missing = await updateRefillStatus(panel.ctx, { refillId: 999999999, status: 'Completed' });
      expect(missing).toEqual({ ok: false, failure: { code: 'REFILL_NOT_FOUND' } });
      expect(await refillStatus(user, id)).toBe('{"status":"Rejected"}');
    });
  });

  describe('authentication', () => {
    it.each([
      ['refill (single)', { action: 'refill', order: 1 }],
      ['refill (multi)', { action: 'refill', orders: '1,2' }],
      ['refill_status (single)', { action: 'refill_status', refill: 1 }],
      ['refill_status (multi)', { action: 'refill_status', refills: '1,2' }],
    ])('%s answers Invalid API key to a missing or wrong key, creating nothing', async (_name, params) => {
      const user = await panel.customer('10');
      const service = await panel.createService({ refill: true });
      const order = await completedOrder(user, service);
      const before = await refillCount();
      const withOrder = { ...params, ...('order' in params ? { order } : {}) };
      for (const transport of ['form', 'multipart', 'json', 'get'] as const) {
        expect(await call(withOrder, transport), transport).toBe(INVALID_KEY);
        expect(await call({ ...withOrder, key: 'not-a-key' }, transport), transport).toBe(INVALID_KEY);
        expect(await call({ ...withOrder, key: `${user.apiKey}x` }, transport), transport).toBe(INVALID_KEY);
      }
      expect(await refillCount()).toBe(before);
    });
  });
});
