import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlacedOrder, placeOrder } from '../../src/app/orders/place-order.js';
import { type CachedCaller, StaleCaller } from '../../src/app/users/api-caller-cache.js';
import { generateApiKey, hashApiKey } from '../../src/app/users/credentials.js';
import { insertApiKey } from '../../src/store/api-keys.js';
import type { Result } from '../../src/domain/errors.js';
import { sql } from '../../src/store/database.js';
import { TEST_DIALECT } from '../support/test-database.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

/**
 * A plain `add` on SQLite takes its caller from a cache and lets the order's batch check the key
 * inside the write (api-caller-cache.ts). What a client sees must not change: an order only for a
 * key valid when it was written, "Invalid API key" before any other error for a key that is not,
 * and a changed rate limit applied. The key's changes here are made in the database directly, as
 * another process (the CLI, a second server) makes them, so this process's cache never hears of them.
 */

const INVALID_KEY = '{"error":"Invalid API key"}';
const TOO_FEW = '{"error":"Quantity less than minimal 10"}';
const revokeKeys = sql('UPDATE api_keys SET revoked_at = ? WHERE user_id = ?');
const setUserStatus = sql('UPDATE users SET status = ? WHERE id = ?');
const setRateLimit = sql('UPDATE users SET rate_limit_per_minute = ? WHERE id = ?');
const keyIdOf = sql('SELECT id FROM api_keys WHERE user_id = ? AND revoked_at IS NULL');
const counts = sql(
  `SELECT (SELECT COUNT(*) FROM orders WHERE user_id = ?) AS orders,
          (SELECT COUNT(*) FROM ledger_entries WHERE user_id = ?) AS entries,
          (SELECT balance FROM users WHERE id = ?) AS balance`,
);

describe('add with a cached caller', () => {
  let panel: TestPanel;
  let service: number;

  beforeAll(async () => {
    panel = await TestPanel.start();
    service = await panel.createService({ min: 10, dripfeed: true });
  });
  afterAll(() => panel.close());

  const add = (user: TestUser, quantity = 100, link = `https://x.test/${Math.random()}`) =>
    panel.api({ key: user.apiKey, action: 'add', service, link, quantity });

  async function written(user: TestUser) {
    return panel.db.get<{ orders: bigint; entries: bigint; balance: bigint }>(counts, [
      user.id,
      user.id,
      user.id,
    ]);
  }

  /** A customer whose key the cache holds (on SQLite) after one order. */
  async function cachedCustomer(balance = '10'): Promise<TestUser> {
    const user = await panel.customer(balance);
    expect((await add(user)).text).toMatch(/^\{"order":\d+\}$/);
    expect(panel.panel.apiCallers.get(hashApiKey(user.apiKey)) !== undefined).toBe(TEST_DIALECT === 'sqlite');
    return user;
  }

  it('a key revoked elsewhere places nothing more: "Invalid API key", and the cache lets it go', async () => {
    const user = await cachedCustomer();
    await panel.db.run(revokeKeys, [panel.clock.now(), user.id]);
    const before = await written(user);
    expect((await add(user)).text).toBe(INVALID_KEY);
    expect(await written(user)).toEqual(before);
    expect(panel.panel.apiCallers.get(hashApiKey(user.apiKey))).toBeUndefined();
    expect((await add(user)).text).toBe(INVALID_KEY);
    expect(await written(user)).toEqual(before);
  });

  it('a user suspended elsewhere gets "Invalid API key", not the error their order would get', async () => {
    const user = await cachedCustomer();
    await panel.db.run(setUserStatus, ['suspended', user.id]);
    const before = await written(user);
    expect((await add(user, 5)).text).toBe(INVALID_KEY);
    expect(
      (await panel.api({ key: user.apiKey, action: 'add', service: 999_999, link: 'x', quantity: 5 })).text,
    ).toBe(INVALID_KEY);
    expect((await add(user)).text).toBe(INVALID_KEY);
    expect(await written(user)).toEqual(before);

    // Active again: the same requests get their own answers.
    await panel.db.run(setUserStatus, ['active', user.id]);
    expect((await add(user, 5)).text).toBe(TOO_FEW);
    expect((await add(user)).text).toMatch(/^\{"order":\d+\}$/);
  });

  it('an error answer for a valid cached key is the error, and keeps the key cached', async () => {
    const user = await cachedCustomer();
    const before = await written(user);
    expect((await add(user, 5)).text).toBe(TOO_FEW);
    expect(await written(user)).toEqual(before);
    expect(panel.panel.apiCallers.get(hashApiKey(user.apiKey)) !== undefined).toBe(TEST_DIALECT === 'sqlite');
  });

  it('a rate limit set elsewhere applies from the order that finds it changed', async () => {
    const user = await cachedCustomer();
    // No limit so far (nothing counted); the limit becomes 3 a minute.
    await panel.db.run(setRateLimit, [3, user.id]);
    const before = await written(user);
    for (let i = 0; i < 3; i++) expect((await add(user)).text).toMatch(/^\{"order":\d+\}$/);
    if (TEST_DIALECT === 'sqlite') {
      expect(panel.panel.apiCallers.get(hashApiKey(user.apiKey))?.rateLimitPerMinute).toBe(3);
    }
    const limited = await add(user);
    expect([limited.status, limited.text]).toEqual([429, '{"error":"Too many requests"}']);
    expect(Number((await written(user))!.orders)).toBe(Number(before!.orders) + 3);
  });

  it.runIf(TEST_DIALECT === 'sqlite')(
    'in one batch, an order whose cached caller is stale places nothing and fails no other',
    async () => {
      const [alice, bob] = [await panel.customer('10'), await panel.customer('10')];
      const keyOf = async (user: TestUser) =>
        Number((await panel.db.get<{ id: bigint }>(keyIdOf, [user.id]))!.id);
      const fresh: CachedCaller = { keyId: await keyOf(alice), userId: alice.id, rateLimitPerMinute: null };
      // Bob's limit changed since this was cached; a third caller names Bob's key for Alice's account.
      const stale: CachedCaller = { keyId: await keyOf(bob), userId: bob.id, rateLimitPerMinute: 7 };
      const wrongUser: CachedCaller = { keyId: await keyOf(bob), userId: alice.id, rateLimitPerMinute: null };
      const place = (caller: CachedCaller, link: string): Promise<Result<PlacedOrder>> =>
        placeOrder(panel.panel.contextFor(caller), {
          userId: caller.userId,
          params: { service: String(service), link, quantity: '100' },
          cachedCaller: caller,
        });
      const [before, bobBefore] = [await written(alice), await written(bob)];
      const settled = await Promise.allSettled([
        place(fresh, 'https://x.test/batch-1'),
        place(stale, 'https://x.test/batch-2'),
        place(wrongUser, 'https://x.test/batch-3'),
        place(fresh, 'https://x.test/batch-4'),
      ]);
      expect(
        settled.map((s) => (s.status === 'fulfilled' ? s.value.ok : s.reason instanceof StaleCaller)),
      ).toEqual([true, true, true, true]);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect(Number((await written(alice))!.orders)).toBe(Number(before!.orders) + 2);
      expect(await written(bob)).toEqual(bobBefore);

      // A cached caller's order that cannot go in a batch (a drip-feed here) is never placed unchecked.
      await expect(
        placeOrder(panel.panel.contextFor(fresh), {
          userId: alice.id,
          params: {
            service: String(service),
            link: 'https://x.test/drip',
            quantity: '100',
            runs: '2',
            interval: '5',
          },
          cachedCaller: fresh,
        }),
      ).rejects.toBeInstanceOf(StaleCaller);
      expect(Number((await written(alice))!.orders)).toBe(Number(before!.orders) + 2);
    },
  );

  it.runIf(TEST_DIALECT === 'sqlite')(
    '32 adds validated with the cached caller while the key is revoked before their write: none placed',
    async () => {
      const user = await cachedCustomer('1000');
      const before = await written(user);
      let revoked!: () => void;
      const writeHeld = new Promise<void>((resolve) => (revoked = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // Holds SQLite's writer: the key is revoked inside, while the adds (past their key and service checks) queue behind.
      const revocation = panel.db.transaction(async (tx) => {
        await tx.run(revokeKeys, [panel.clock.now(), user.id]);
        revoked();
        await released;
      });
      await writeHeld;
      const answers = Array.from({ length: 32 }, () => add(user));
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      await revocation;
      for (const response of await Promise.all(answers)) expect(response.text).toBe(INVALID_KEY);
      expect(await written(user)).toEqual(before);
    },
  );

  it('64 concurrent adds while the key is revoked elsewhere: an order for each id answered, none after the revocation', async () => {
    const user = await cachedCustomer('1000');
    const send = async () => (await add(user)).text;
    const first = Array.from({ length: 32 }, send);
    await panel.db.run(revokeKeys, [panel.clock.now(), user.id]);
    const second = await Promise.all(Array.from({ length: 32 }, send));
    const answers = [...(await Promise.all(first)), ...second];
    for (const text of answers) expect(text === INVALID_KEY || /^\{"order":\d+\}$/.test(text)).toBe(true);
    expect(second.every((text) => text === INVALID_KEY)).toBe(true);
    const ids = answers
      .filter((text) => text !== INVALID_KEY)
      .map((text) => JSON.parse(text).order as number);
    const after = await written(user);
    expect(Number(after!.orders)).toBe(ids.length + 1);
    expect(Number(after!.entries)).toBe(ids.length + 2);
    const found = await panel.db.all<{ id: bigint }>(sql('SELECT id FROM orders WHERE user_id = ?'), [
      user.id,
    ]);
    const foundIds = new Set(found.map((row) => Number(row.id)));
    for (const id of ids) expect(foundIds.has(id)).toBe(true);
  });

  describe('with a rate limit (600 a minute by default)', () => {
    let limited: TestPanel;
    let on: number;
    beforeAll(async () => {
      limited = await TestPanel.start({ rateLimitPerMinute: 600 });
      on = await limited.createService({ min: 10 });
    });
    afterAll(() => limited.close());

    const order = async (user: TestUser) =>
      limited.api({
        key: user.apiKey,
        action: 'add',
        service: on,
        link: `https://x.test/${Math.random()}`,
        quantity: 100,
      });
    const ordersOf = async (user: TestUser) =>
      Number(
        (await limited.db.get<{ n: bigint }>(sql('SELECT COUNT(*) AS n FROM orders WHERE user_id = ?'), [
          user.id,
        ]))!.n,
      );

    it('a limit lowered elsewhere: the requests in flight are judged by it', async () => {
      const user = await limited.customer('100');
      expect((await order(user)).text).toMatch(/^\{"order":\d+\}$/);
      // One request counted; the limit becomes 1.
      await limited.db.run(setRateLimit, [1, user.id]);
      const answers = await Promise.all(Array.from({ length: 5 }, () => order(user)));
      expect(answers.map((a) => a.status)).toEqual([429, 429, 429, 429, 429]);
      expect(await ordersOf(user)).toBe(1);
    });

    it('a limit raised elsewhere: a request the old one refuses is placed', async () => {
      const user = await limited.customer('100');
      await limited.db.run(setRateLimit, [2, user.id]);
      for (let i = 0; i < 2; i++) expect((await order(user)).text).toMatch(/^\{"order":\d+\}$/);
      expect((await order(user)).status).toBe(429);
      await limited.db.run(setRateLimit, [1000, user.id]);
      expect((await order(user)).text).toMatch(/^\{"order":\d+\}$/);
      expect(await ordersOf(user)).toBe(3);
    });

    it('a request whose key turns out revoked does not count against its user', async () => {
      const user = await limited.customer('100');
      await limited.db.run(setRateLimit, [3, user.id]);
      expect((await order(user)).text).toMatch(/^\{"order":\d+\}$/);
      await limited.db.run(revokeKeys, [limited.clock.now(), user.id]);
      for (let i = 0; i < 3; i++) expect((await order(user)).text).toBe(INVALID_KEY);
      const fresh = generateApiKey();
      await limited.db.transaction((tx) =>
        insertApiKey(tx, { userId: user.id, keyHash: hashApiKey(fresh), prefix: fresh.slice(0, 8), now: 0 }),
      );
      const other = { ...user, apiKey: fresh };
      // Two more this minute (one counted so far), then the limit.
      for (let i = 0; i < 2; i++) expect((await order(other)).text).toMatch(/^\{"order":\d+\}$/);
      expect((await order(other)).status).toBe(429);
    });
  });
});
