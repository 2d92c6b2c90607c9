import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/app/users/credentials.js';
import { readKeyCallers } from '../../src/store/api-keys.js';
import { sql } from '../../src/store/database.js';
import { readBalances } from '../../src/store/order-batch.js';
import {
  findServiceOffer,
  findServiceOffers,
  sameServiceOffer,
  serviceOfferKey,
} from '../../src/store/service-offers.js';
import { TEST_DIALECT } from '../support/test-database.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

/**
 * A cached caller's plain `add` on SQLite is priced from a cached offer (the service and the
 * user's rate, service-offer-cache.ts) that its batch checks inside the write. What a client sees
 * must not change: every order charged and decided by the offer as it is when the order is
 * written, and every error decided by a fresh read. The offers are changed in the database
 * directly, as another process (the CLI, a second server) changes them, so this process's cache
 * never hears of them. On PostgreSQL (no cache) the same answers are expected.
 */

const INCORRECT_SERVICE = '{"error":"Incorrect service ID"}';
const ACTIVE_LINK =
  '{"error":"You have active order with this link. Please wait until order being completed."}';
const ORDER = /^\{"order":(\d+)\}$/;

const setRate = sql('UPDATE services SET rate = ? WHERE id = ?');
const setMin = sql('UPDATE services SET min_quantity = ? WHERE id = ?');
const setEnabled = sql('UPDATE services SET enabled = ? WHERE id = ?');
const setDuplicates = sql('UPDATE services SET allow_duplicate_links = ? WHERE id = ?');
const setUserRate = sql('INSERT INTO user_rates (user_id, service_id, rate, created_at) VALUES (?, ?, ?, ?)');
const orderCharge = sql('SELECT rate, charge FROM orders WHERE id = ?');
const ledgerCharge = sql('SELECT amount FROM ledger_entries WHERE entry_key = ?');
const countOrders = sql('SELECT COUNT(*) AS n FROM orders WHERE user_id = ?');
const keyIdOf = sql('SELECT id FROM api_keys WHERE user_id = ? AND revoked_at IS NULL');
const revokeKeys = sql('UPDATE api_keys SET revoked_at = ? WHERE user_id = ?');
const setRateLimit = sql('UPDATE users SET rate_limit_per_minute = ? WHERE id = ?');
const setThreshold = sql('UPDATE users SET low_balance_threshold = ? WHERE id = ?');

describe('add priced from a cached offer', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  const add = (user: TestUser, service: number, quantity = 100, link = `https://x.test/${Math.random()}`) =>
    panel.api({ key: user.apiKey, action: 'add', service, link, quantity });

  async function placed(user: TestUser, service: number, quantity = 100, link?: string): Promise<number> {
    const text = (await add(user, service, quantity, link)).text;
    const id = ORDER.exec(text)?.[1];
    if (id === undefined) throw new Error(`not placed: ${text}`);
    return Number(id);
  }

  /** The order's rate and charge, and the charge its ledger entry posted (negative). */
  async function charged(orderId: number) {
    const order = await panel.db.get<{ rate: bigint; charge: bigint }>(orderCharge, [orderId]);
    const entry = await panel.db.get<{ amount: bigint }>(ledgerCharge, [`charge:${orderId}`]);
    return { rate: order?.rate, charge: order?.charge, posted: entry?.amount };
  }

  async function orderCount(user: TestUser): Promise<number> {
    return Number((await panel.db.get<{ n: bigint }>(countOrders, [user.id]))!.n);
  }

  /** A customer whose caller and offer for `service` the caches hold (on SQLite) after two orders. */
  async function cachedCustomer(service: number, balance = '100'): Promise<TestUser> {
    const user = await panel.customer(balance);
    // The first reads the key and caches the caller; the second, a cached caller's, caches the offer.
    await placed(user, service);
    await placed(user, service);
    const cached = panel.panel.serviceOffers.get(user.id, service);
    expect(cached !== undefined).toBe(TEST_DIALECT === 'sqlite');
    expect(panel.panel.apiCallers.get(hashApiKey(user.apiKey)) !== undefined).toBe(TEST_DIALECT === 'sqlite');
    return user;
  }

  it('a price changed elsewhere is what the next order is charged, and the cache takes it', async () => {
    const service = await panel.createService({ rate: '0.90' });
    const user = await cachedCustomer(service);
    await panel.db.run(setRate, [200_000n, service]);
    expect(await charged(await placed(user, service))).toEqual({
      rate: 200_000n,
      charge: 20_000n,
      posted: -20_000n,
    });
    if (TEST_DIALECT === 'sqlite')
      expect(panel.panel.serviceOffers.get(user.id, service)?.rate).toBe(200_000n);
    expect((await charged(await placed(user, service))).charge).toBe(20_000n);
  });

  it("a user's own rate set elsewhere is what their next order is charged", async () => {
    const service = await panel.createService({ rate: '0.90' });
    const user = await cachedCustomer(service);
    const other = await cachedCustomer(service);
    await panel.db.run(setUserRate, [user.id, service, 50_000n, panel.clock.now()]);
    expect(await charged(await placed(user, service))).toEqual({
      rate: 50_000n,
      charge: 5_000n,
      posted: -5_000n,
    });
    expect((await charged(await placed(other, service))).charge).toBe(9_000n);
  });

  it('a service disabled elsewhere: "Incorrect service ID", nothing written, and the cache lets it go', async () => {
    const service = await panel.createService();
    const user = await cachedCustomer(service);
    const before = await orderCount(user);
    await panel.db.run(setEnabled, [0, service]);
    expect((await add(user, service)).text).toBe(INCORRECT_SERVICE);
    expect(await orderCount(user)).toBe(before);
    expect(panel.panel.serviceOffers.get(user.id, service)).toBeUndefined();
  });

  it('a minimum raised elsewhere refuses with the new minimum; one lowered accepts what the old refused', async () => {
    const service = await panel.createService({ min: 10 });
    const user = await cachedCustomer(service);
    const before = await orderCount(user);
    await panel.db.run(setMin, [500, service]);
    expect((await add(user, service, 100)).text).toBe('{"error":"Quantity less than minimal 500"}');
    expect(await orderCount(user)).toBe(before);
    // The cache now holds the minimum of 500: lowered elsewhere, an order of 5 goes through.
    await panel.db.run(setMin, [5, service]);
    await placed(user, service, 5);
    expect(await orderCount(user)).toBe(before + 1);
  });

  it('duplicate links refused elsewhere: the second order for a link finds the first one active', async () => {
    const service = await panel.createService({ allowDuplicateLinks: true });
    const user = await cachedCustomer(service);
    await panel.db.run(setDuplicates, [0, service]);
    await placed(user, service, 100, 'https://x.test/one-link');
    expect((await add(user, service, 100, 'https://x.test/one-link')).text).toBe(ACTIVE_LINK);
  });

  it.runIf(TEST_DIALECT === 'sqlite')(
    '32 adds priced from the cache while the price changes before their write: each charged the new price',
    async () => {
      const service = await panel.createService({ rate: '0.90' });
      const user = await cachedCustomer(service, '1000');
      let changed!: () => void;
      const writeHeld = new Promise<void>((resolve) => (changed = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // Holds SQLite's writer: the price changes inside, while the adds (priced from the cache) queue behind.
      const change = panel.db.transaction(async (tx) => {
        await tx.run(setRate, [300_000n, service]);
        changed();
        await released;
      });
      await writeHeld;
      const answers = Array.from({ length: 32 }, () => add(user, service));
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      await change;
      for (const response of await Promise.all(answers)) {
        const id = ORDER.exec(response.text)?.[1];
        expect(id).toBeDefined();
        expect(await charged(Number(id))).toEqual({ rate: 300_000n, charge: 30_000n, posted: -30_000n });
      }
    },
  );
});

describe("a batch's reads, on either database", () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  it('answers for each (user, service) pair what findServiceOffer answers; a missing or disabled service is absent', async () => {
    const [a, b] = [await panel.createService({ rate: '1.00' }), await panel.createService({ rate: '2.00' })];
    const disabled = await panel.createService({ enabled: false });
    const [alice, bob] = [await panel.createUser(), await panel.createUser()];
    await panel.db.run(setUserRate, [alice.id, b, 70_000n, panel.clock.now()]);
    const pairs = [
      { userId: alice.id, serviceId: a },
      { userId: alice.id, serviceId: b },
      { userId: bob.id, serviceId: b },
      { userId: bob.id, serviceId: disabled },
      { userId: bob.id, serviceId: 999_999 },
    ];
    const offers = await panel.db.transaction((tx) => findServiceOffers(tx, pairs));
    expect([...offers.keys()].sort()).toEqual(
      [serviceOfferKey(alice.id, a), serviceOfferKey(alice.id, b), serviceOfferKey(bob.id, b)].sort(),
    );
    for (const { userId, serviceId } of pairs) {
      const one = await findServiceOffer(panel.db, serviceId, userId);
      expect(offers.get(serviceOfferKey(userId, serviceId))).toEqual(one);
    }
    expect(offers.get(serviceOfferKey(alice.id, b))?.customRate).toBe(70_000n);
    expect(offers.get(serviceOfferKey(bob.id, b))?.customRate).toBeNull();
    const aliceB = offers.get(serviceOfferKey(alice.id, b))!;
    expect(sameServiceOffer(aliceB, offers.get(serviceOfferKey(alice.id, b)))).toBe(true);
    expect(sameServiceOffer(aliceB, offers.get(serviceOfferKey(bob.id, b)))).toBe(false);
    expect(sameServiceOffer(aliceB, { ...aliceB, maxQuantity: aliceB.maxQuantity + 1 })).toBe(false);
    expect(sameServiceOffer(aliceB, undefined)).toBe(false);
  });

  it('readKeyCallers: the caller of each live key; a revoked or unknown key is absent', async () => {
    const [alice, bob] = [await panel.createUser(), await panel.createUser()];
    const keyOf = async (userId: number) =>
      Number((await panel.db.get<{ id: bigint }>(keyIdOf, [userId]))!.id);
    const [aliceKey, bobKey] = [await keyOf(alice.id), await keyOf(bob.id)];
    await panel.db.run(setRateLimit, [12, alice.id]);
    await panel.db.run(revokeKeys, [panel.clock.now(), bob.id]);
    const callers = await panel.db.transaction((tx) =>
      readKeyCallers(tx, [aliceKey, bobKey, aliceKey, 999_999]),
    );
    expect([...callers]).toEqual([
      [aliceKey, { userId: alice.id, status: 'active', rateLimitPerMinute: 12 }],
    ]);
  });

  it('readBalances: the balance and low-balance threshold of each user; an unknown one is absent', async () => {
    const [alice, bob] = [await panel.customer('12.5'), await panel.customer('0')];
    await panel.db.run(setThreshold, [300_000n, bob.id]);
    const balances = await panel.db.transaction((tx) => readBalances(tx, [alice.id, bob.id, 999_999]));
    expect(balances).toEqual(
      new Map([
        [alice.id, { balance: 1_250_000n, lowBalanceThreshold: null }],
        [bob.id, { balance: 0n, lowBalanceThreshold: 300_000n }],
      ]),
    );
  });
});
