import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateOrderStatus } from '../../src/app/orders/update-order-status.js';
import { generateApiKey, hashApiKey } from '../../src/app/users/credentials.js';
import { insertApiKey } from '../../src/store/api-keys.js';
import { sql } from '../../src/store/database.js';
import { TestPanel, type TestUser, type Transport } from '../support/test-panel.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const INVALID_KEY = '{"error":"Invalid API key"}';
const TRANSPORTS: readonly Transport[] = ['form', 'multipart', 'json', 'get'];

const setUserStatus = sql('UPDATE users SET status = ? WHERE id = ?');
const revokeKeys = sql('UPDATE api_keys SET revoked_at = ? WHERE user_id = ?');
const countOrders = sql('SELECT COUNT(*) AS n FROM orders');
const countLedger = sql('SELECT COUNT(*) AS n FROM ledger_entries');
const countRefills = sql('SELECT COUNT(*) AS n FROM refills');
const countCancelRequests = sql('SELECT COUNT(*) AS n FROM cancel_requests');
const userBalance = sql('SELECT balance FROM users WHERE id = ?');
const userOrders = sql('SELECT id, status, remains FROM orders WHERE user_id = ? ORDER BY id');

/**
 * A customer's own things, each of which the right key could act on: a Pending order on a service
 * with cancel and refill (cancel would refund it), a Completed order never refilled (refill would
 * create one), and a refill of another Completed order.
 */
interface Owned {
  readonly service: number;
  readonly order: number;
  readonly completed: number;
  readonly refill: number;
}

/** The actions a key is checked for, each with the parameters a real client would send. */
const ACTIONS: readonly (readonly [string, (owned: Owned) => Record<string, string | number>])[] = [
  ['services', () => ({ action: 'services' })],
  ['add', ({ service }) => ({ action: 'add', service, link: 'https://x.test/auth', quantity: 1000 })],
  ['status (single)', ({ order }) => ({ action: 'status', order })],
  ['status (multi)', ({ order }) => ({ action: 'status', orders: `${order},1,2` })],
  [
    'status (multi, over the id limit)',
    () => ({ action: 'status', orders: Array.from({ length: 150 }, (_, i) => i + 1).join(',') }),
  ],
  ['balance', () => ({ action: 'balance' })],
  ['cancel (single)', ({ order }) => ({ action: 'cancel', order })],
  ['cancel (multi)', ({ order, completed }) => ({ action: 'cancel', orders: `${order},${completed},1` })],
  ['refill (single)', ({ completed }) => ({ action: 'refill', order: completed })],
  ['refill (multi)', ({ completed, order }) => ({ action: 'refill', orders: `${completed},${order},1` })],
  ['refill_status (single)', ({ refill }) => ({ action: 'refill_status', refill })],
  ['refill_status (multi)', ({ refill }) => ({ action: 'refill_status', refills: `${refill},1,2` })],
  ['an unknown action', () => ({ action: 'launch_missiles' })],
  ['no action', () => ({})],
];

describe('API v2 authentication', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  async function snapshot(user: TestUser) {
    const count = async (query: typeof countOrders) => Number((await panel.db.get<{ n: bigint }>(query))!.n);
    return {
      orders: await count(countOrders),
      ledger: await count(countLedger),
      refills: await count(countRefills),
      cancelRequests: await count(countCancelRequests),
      balance: (await panel.db.get<{ balance: bigint }>(userBalance, [user.id]))!.balance,
      own: await panel.db.all(userOrders, [user.id]),
    };
  }

  /**
   * A funded user with things of their own on a fresh service (cancel and refill allowed): a
   * Pending order of 1000 (0.90000), and two Completed orders of 10 (0.00900 each), one refilled.
   */
  async function customerWithOrder(): Promise<{ user: TestUser } & Owned> {
    const user = await panel.customer('10');
    const service = await panel.createService({ cancel: true, refill: true });
    const place = async (quantity: number): Promise<number> => {
      const add = await panel.api({
        key: user.apiKey,
        action: 'add',
        service,
        link: 'https://x.test/own',
        quantity,
      });
      expect(add.text).toMatch(/^\{"order":\d+\}$/);
      return add.json.order as number;
    };
    const order = await place(1000);
    const completed = await place(10);
    const refilled = await place(10);
    for (const id of [completed, refilled]) {
      const moved = await updateOrderStatus(panel.ctx, { orderId: id, status: 'Completed' });
      if (!moved.ok) throw new Error(JSON.stringify(moved.failure));
    }
    const refill = await panel.api({ key: user.apiKey, action: 'refill', order: refilled });
    expect(refill.text).toMatch(/^\{"refill":"\d+"\}$/);
    return { user, service, order, completed, refill: Number(refill.json.refill) };
  }

  /** Sends every action over every transport with `key` (or none) and expects Invalid API key each time. */
  async function expectRefusedEverywhere(
    key: string | undefined,
    owned: Owned,
    actions = ACTIONS,
  ): Promise<void> {
    for (const [name, paramsFor] of actions) {
      for (const transport of TRANSPORTS) {
        const params = paramsFor(owned);
        const response = await panel.api(key === undefined ? params : { key, ...params }, { transport });
        expect([response.status, response.contentType, response.text], `${name} over ${transport}`).toEqual([
          200,
          JSON_TYPE,
          INVALID_KEY,
        ]);
      }
    }
  }

  describe.each(ACTIONS)('%s', (_name, paramsFor) => {
    const cases: readonly (readonly [string, (user: TestUser) => string | undefined])[] = [
      ['a missing key', () => undefined],
      ['an empty key', () => ''],
      ['a blank key', () => '   '],
      ['a wrong key', () => generateApiKey()],
      ['the right key in upper case', (user) => user.apiKey.toUpperCase()],
      ['the right key with a character more', (user) => `${user.apiKey}0`],
      ['the right key with a character less', (user) => user.apiKey.slice(0, -1)],
      ['a 300-character key', () => 'k'.repeat(300)],
      ['the right key padded to 300 characters', (user) => user.apiKey.padEnd(300, 'x')],
    ];

    it.each(cases)('refuses %s', async (_case, keyFor) => {
      const { user, ...owned } = await customerWithOrder();
      const before = await snapshot(user);
      const key = keyFor(user);
      for (const transport of TRANSPORTS) {
        const params = paramsFor(owned);
        const response = await panel.api(key === undefined ? params : { key, ...params }, { transport });
        expect([response.status, response.contentType, response.text], transport).toEqual([
          200,
          JSON_TYPE,
          INVALID_KEY,
        ]);
      }
      expect(await snapshot(user)).toEqual(before);
    });
  });

  it('refuses a suspended user on every action, and serves them again once reactivated', async () => {
    const { user, ...owned } = await customerWithOrder();
    await panel.db.run(setUserStatus, ['suspended', user.id]);
    const before = await snapshot(user);
    await expectRefusedEverywhere(user.apiKey, owned);
    expect(await snapshot(user)).toEqual(before);

    await panel.db.run(setUserStatus, ['active', user.id]);
    const balance = await panel.api({ key: user.apiKey, action: 'balance' });
    expect(balance.text).toBe('{"balance":"9.08200","currency":"USD"}');
  });

  it('refuses a revoked key on every action, but not another key of the same user', async () => {
    const { user, ...owned } = await customerWithOrder();
    const { order } = owned;
    await panel.db.run(revokeKeys, [panel.clock.now(), user.id]);
    const before = await snapshot(user);
    await expectRefusedEverywhere(user.apiKey, owned);
    expect(await snapshot(user)).toEqual(before);

    const fresh = generateApiKey();
    await panel.db.transaction((tx) =>
      insertApiKey(tx, {
        userId: user.id,
        keyHash: hashApiKey(fresh),
        prefix: fresh.slice(0, 8),
        now: panel.clock.now(),
      }),
    );
    const balance = await panel.api({ key: fresh, action: 'balance' });
    expect(balance.text).toBe('{"balance":"9.08200","currency":"USD"}');
    const status = await panel.api({ key: fresh, action: 'status', order });
    expect(status.text).toBe(
      '{"charge":"0.90000","start_count":"0","status":"Pending","remains":"1000","currency":"USD"}',
    );
    // The revoked one stays revoked.
    expect((await panel.api({ key: user.apiKey, action: 'balance' })).text).toBe(INVALID_KEY);
  });

  it('with the right key, the same cancel and refill requests do act (so each refusal above changed something)', async () => {
    const { user, order, completed, refill } = await customerWithOrder();
    const send = async (params: Record<string, string | number>) =>
      (await panel.api({ key: user.apiKey, ...params })).text;
    expect(await send({ action: 'refill_status', refill })).toBe('{"status":"Pending"}');
    expect(await send({ action: 'refill', order: completed })).toMatch(/^\{"refill":"\d+"\}$/);
    expect(await send({ action: 'cancel', order })).toBe(`[{"order":${order},"cancel":1}]`);
    expect(await send({ action: 'balance' })).toBe('{"balance":"9.98200","currency":"USD"}');
  });

  it('accepts the right key with surrounding spaces', async () => {
    const user = await panel.customer('1');
    for (const transport of TRANSPORTS) {
      const response = await panel.api({ key: ` ${user.apiKey}  `, action: 'balance' }, { transport });
      expect(response.text, transport).toBe('{"balance":"1.00000","currency":"USD"}');
    }
  });

  describe("another user's order", () => {
    const UNKNOWN = 987_654_321;

    it('is "Incorrect order ID" in status single, byte for byte like one that does not exist', async () => {
      const owner = await customerWithOrder();
      const other = await panel.customer('10');
      for (const transport of TRANSPORTS) {
        const foreign = await panel.api(
          { key: other.apiKey, action: 'status', order: owner.order },
          { transport },
        );
        const missing = await panel.api(
          { key: other.apiKey, action: 'status', order: UNKNOWN },
          { transport },
        );
        expect([foreign.status, foreign.contentType, foreign.text]).toEqual([
          200,
          JSON_TYPE,
          '{"error":"Incorrect order ID"}',
        ]);
        expect(foreign.text).toBe(missing.text);
      }
      // The owner still sees it.
      const own = await panel.api({ key: owner.user.apiKey, action: 'status', order: owner.order });
      expect(own.json.status).toBe('Pending');
    });

    it('is a per-id error in status multi, byte for byte like one that does not exist', async () => {
      const owner = await customerWithOrder();
      const other = await customerWithOrder();
      const pending =
        '{"charge":"0.90000","start_count":"0","status":"Pending","remains":"1000","currency":"USD"}';
      for (const transport of TRANSPORTS) {
        const foreign = await panel.api(
          { key: other.user.apiKey, action: 'status', orders: `${owner.order},${other.order}` },
          { transport },
        );
        const missing = await panel.api(
          { key: other.user.apiKey, action: 'status', orders: `${UNKNOWN},${other.order}` },
          { transport },
        );
        expect(foreign.text).toBe(
          `{"${owner.order}":{"error":"Incorrect order ID"},"${other.order}":${pending}}`,
        );
        expect(foreign.text.replace(`"${owner.order}"`, `"${UNKNOWN}"`)).toBe(missing.text);
      }
    });
  });
});
