import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const userBalance = sql('SELECT balance FROM users WHERE id = ?');

/** The actions a key is checked for, each with the parameters a real client would send. */
const ACTIONS: readonly (readonly [
  string,
  (service: number, order: number) => Record<string, string | number>,
])[] = [
  ['services', () => ({ action: 'services' })],
  ['add', (service) => ({ action: 'add', service, link: 'https://x.test/auth', quantity: 1000 })],
  ['status (single)', (_service, order) => ({ action: 'status', order })],
  ['status (multi)', (_service, order) => ({ action: 'status', orders: `${order},1,2` })],
  [
    'status (multi, over the id limit)',
    () => ({ action: 'status', orders: Array.from({ length: 150 }, (_, i) => i + 1).join(',') }),
  ],
  ['balance', () => ({ action: 'balance' })],
  ['an unknown action', () => ({ action: 'launch_missiles' })],
  ['no action', () => ({})],
];

describe('API v2 authentication', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  async function snapshot(user: TestUser): Promise<[number, number, bigint]> {
    const orders = await panel.db.get<{ n: bigint }>(countOrders);
    const ledger = await panel.db.get<{ n: bigint }>(countLedger);
    const balance = await panel.db.get<{ balance: bigint }>(userBalance, [user.id]);
    return [Number(orders!.n), Number(ledger!.n), balance!.balance];
  }

  /** A funded user with one order of their own on a fresh service. */
  async function customerWithOrder(): Promise<{ user: TestUser; service: number; order: number }> {
    const user = await panel.customer('10');
    const service = await panel.createService();
    const add = await panel.api({
      key: user.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/own',
      quantity: 1000,
    });
    expect(add.text).toMatch(/^\{"order":\d+\}$/);
    return { user, service, order: add.json.order as number };
  }

  /** Sends every action over every transport with `key` (or none) and expects Invalid API key each time. */
  async function expectRefusedEverywhere(
    key: string | undefined,
    service: number,
    order: number,
    actions = ACTIONS,
  ): Promise<void> {
    for (const [name, paramsFor] of actions) {
      for (const transport of TRANSPORTS) {
        const params = paramsFor(service, order);
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
      const { user, service, order } = await customerWithOrder();
      const before = await snapshot(user);
      const key = keyFor(user);
      for (const transport of TRANSPORTS) {
        const params = paramsFor(service, order);
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
    const { user, service, order } = await customerWithOrder();
    await panel.db.run(setUserStatus, ['suspended', user.id]);
    const before = await snapshot(user);
    await expectRefusedEverywhere(user.apiKey, service, order);
    expect(await snapshot(user)).toEqual(before);

    await panel.db.run(setUserStatus, ['active', user.id]);
    const balance = await panel.api({ key: user.apiKey, action: 'balance' });
    expect(balance.text).toBe('{"balance":"9.10000","currency":"USD"}');
  });

  it('refuses a revoked key on every action, but not another key of the same user', async () => {
    const { user, service, order } = await customerWithOrder();
    await panel.db.run(revokeKeys, [panel.clock.now(), user.id]);
    const before = await snapshot(user);
    await expectRefusedEverywhere(user.apiKey, service, order);
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
    expect(balance.text).toBe('{"balance":"9.10000","currency":"USD"}');
    const status = await panel.api({ key: fresh, action: 'status', order });
    expect(status.text).toBe(
      '{"charge":"0.90000","start_count":"0","status":"Pending","remains":"1000","currency":"USD"}',
    );
    // The revoked one stays revoked.
    expect((await panel.api({ key: user.apiKey, action: 'balance' })).text).toBe(INVALID_KEY);
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
