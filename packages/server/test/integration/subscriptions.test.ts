import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../../src/app/context.js';
import {
  MAX_POSTS_PER_SUBSCRIPTION,
  dispatchSubscriptionPosts,
} from '../../src/app/subscriptions/dispatch-subscription-posts.js';
import { expireSubscriptions } from '../../src/app/subscriptions/expire-subscriptions.js';
import { recordPost } from '../../src/app/subscriptions/record-post.js';
import type { Result } from '../../src/domain/errors.js';
import { MAX_OLD_POSTS, type RandomSource } from '../../src/domain/subscriptions.js';
import { sql } from '../../src/store/database.js';
import { findLedgerEntriesForOrder } from '../support/account-rows.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { workerJobs } from '../../src/worker/jobs.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

/**
 * Subscriptions over real HTTP and through their use cases: the `add` answer and status shape,
 * posts recorded by the owner (each a child order charged once), the posts limit, expiry, pausing
 * for funds and resuming, old posts created by the dispatcher, and dispatchers racing.
 * Every charge below is worked out by hand: rate × quantity / 1000, rounded up to 0.00001.
 */

const selectSubscription = sql('SELECT status, expires_at, unpaid_posts FROM orders WHERE id = ?');
const selectPosts = sql(
  `SELECT id, kind, run_number, quantity, charge, status, link, user_id, service_id FROM orders
   WHERE parent_id = ? ORDER BY run_number`,
);
const countOrdersOf = sql('SELECT COUNT(*) AS count FROM orders WHERE user_id = ?');
const countLedgerOf = sql('SELECT COUNT(*) AS count FROM ledger_entries WHERE user_id = ?');

let panel: TestPanel;
let startedAt: number;

beforeAll(async () => {
  panel = await TestPanel.start();
  startedAt = panel.clock.now(); // 27/11/2026 12:00 UTC
});
afterAll(() => panel.close());
// Tests that move the clock put it back.
afterEach(() => panel.clock.set(startedAt));

/** A random source that gives exactly these values, in order, and fails the test if asked for more. */
function sequence(...values: number[]): RandomSource {
  let next = 0;
  return () => {
    const value = values[next++];
    if (value === undefined)
      throw new Error(`random source asked for value ${next}, only ${values.length} given`);
    return value;
  };
}
const lowest: RandomSource = () => 0;

async function subscribe(user: TestUser, params: Record<string, string | number>): Promise<number> {
  const response = await panel.api({ key: user.apiKey, action: 'add', ...params });
  expect(response.text).toMatch(/^\{"order":\d+\}$/);
  return response.json.order as number;
}

async function statusText(user: TestUser, order: number): Promise<string> {
  return (await panel.api({ key: user.apiKey, action: 'status', order })).text;
}

async function balance(user: TestUser): Promise<string> {
  return (await panel.api({ key: user.apiKey, action: 'balance' })).json.balance as string;
}

async function row(id: number) {
  const found = await panel.db.get<{ status: string; expires_at: bigint | null; unpaid_posts: bigint }>(
    selectSubscription,
    [id],
  );
  return (
    found && { status: found.status, expiresAt: found.expires_at, unpaidPosts: Number(found.unpaid_posts) }
  );
}

interface PostRow {
  id: bigint;
  kind: string;
  run_number: bigint;
  quantity: bigint;
  charge: bigint;
  status: string;
  link: string;
  user_id: bigint;
  service_id: bigint;
}

const posts = (subscriptionId: number) => panel.db.all<PostRow>(selectPosts, [subscriptionId]);

async function count(statement: ReturnType<typeof sql>, userId: number): Promise<number> {
  return Number((await panel.db.get<{ count: bigint }>(statement, [userId]))!.count);
}

/** Each post was charged exactly once, by exactly its charge, under its own key. */
async function expectChargedOnce(post: PostRow): Promise<void> {
  const entries = await findLedgerEntriesForOrder(panel.db, Number(post.id));
  expect(entries.map((e) => [e.kind, e.amount, e.entry_key])).toEqual([
    ['charge', -post.charge, `charge:${post.id}`],
  ]);
}

function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.failure)}`);
  return result.value;
}

const record = (subscriptionId: number, quantity?: number, random: RandomSource = lowest) =>
  recordPost(panel.ctx, { subscriptionId, quantity }, random);

const statusLine = (fields: { status: string; expiry?: string | null; orders: number[]; charge: string }) =>
  JSON.stringify({
    status: fields.status,
    expiry: fields.expiry ?? null,
    posts: String(fields.orders.length),
    orders: fields.orders,
    charge: fields.charge,
    currency: 'USD',
  });

describe('subscriptions: add and status', () => {
  it('answers {order} and the status shape byte for byte, with and without expiry; charges nothing', async () => {
    const service = await panel.createService({ type: 'Subscriptions', rate: '1.00', min: 100, max: 1000 });
    const user = await panel.customer('10');
    const withExpiry = await subscribe(user, {
      service,
      username: 'someone',
      min: 100,
      max: 500,
      delay: 0,
      expiry: '31/12/2026',
    });
    expect(await statusText(user, withExpiry)).toBe(
      '{"status":"Active","expiry":"31/12/2026","posts":"0","orders":[],"charge":"0.00000","currency":"USD"}',
    );
    expect(await row(withExpiry)).toEqual({
      status: 'active',
      expiresAt: BigInt(Date.UTC(2026, 11, 31)),
      unpaidPosts: 0,
    });

    const forever = await subscribe(user, { service, username: 'someone', min: 100, max: 500, delay: 30 });
    expect(await statusText(user, forever)).toBe(
      '{"status":"Active","expiry":null,"posts":"0","orders":[],"charge":"0.00000","currency":"USD"}',
    );
    expect(await row(forever)).toEqual({ status: 'active', expiresAt: null, unpaidPosts: 0 });
    expect(await balance(user)).toBe('10.00000');
    expect(await count(countLedgerOf, user.id)).toBe(1);
  });

  it('old_posts on a service without the flag: "Incorrect old_posts", nothing created; old_posts=0 is fine', async () => {
    const service = await panel.createService({ type: 'Subscriptions', rate: '1.00', min: 100, max: 1000 });
    const user = await panel.customer('10');
    const terms = { service, username: 'someone', min: 100, max: 500, delay: 0 };
    const refused = await panel.api({ key: user.apiKey, action: 'add', ...terms, old_posts: 3 });
    expect(refused.status).toBe(200);
    expect(refused.text).toBe('{"error":"Incorrect old_posts"}');
    expect(await count(countOrdersOf, user.id)).toBe(0);

    const accepted = await subscribe(user, { ...terms, old_posts: 0 });
    expect(await row(accepted)).toMatchObject({ status: 'active', unpaidPosts: 0 });
  });

  it('old_posts on a service with the flag is remembered as posts waiting for the dispatcher', async () => {
    const service = await panel.createService({
      type: 'Subscriptions',
      rate: '1.00',
      min: 100,
      max: 1000,
      allowOldPosts: true,
    });
    const user = await panel.customer('10');
    const id = await subscribe(user, {
      service,
      username: 'someone',
      min: 100,
      max: 500,
      delay: 0,
      old_posts: 4,
    });
    expect(await row(id)).toEqual({ status: 'active', expiresAt: null, unpaidPosts: 4 });
    expect(await statusText(user, id)).toBe(statusLine({ status: 'Active', orders: [], charge: '0.00000' }));
    // Created by the dispatcher, not by add.
    expect(await posts(id)).toEqual([]);
    expect(await balance(user)).toBe('10.00000');
    expect((await dispatchSubscriptionPosts(panel.ctx, { random: lowest })).created).toBe(4);
  });

  it(`old_posts above ${MAX_OLD_POSTS}: "Incorrect old_posts", nothing created; ${MAX_OLD_POSTS} itself is fine`, async () => {
    const service = await panel.createService({
      type: 'Subscriptions',
      rate: '1.00',
      min: 100,
      max: 1000,
      allowOldPosts: true,
      cancel: true,
    });
    const user = await panel.customer('10');
    const terms = { service, username: 'someone', min: 100, max: 500, delay: 0 };
    for (const oldPosts of [MAX_OLD_POSTS + 1, 1_000_000_000, '999999999999999']) {
      const refused = await panel.api({ key: user.apiKey, action: 'add', ...terms, old_posts: oldPosts });
      expect(refused.text).toBe('{"error":"Incorrect old_posts"}');
    }
    expect(await count(countOrdersOf, user.id)).toBe(0);

    const accepted = await subscribe(user, { ...terms, old_posts: MAX_OLD_POSTS });
    expect(await row(accepted)).toMatchObject({ status: 'active', unpaidPosts: MAX_OLD_POSTS });
    // Canceled before any dispatcher run, so the other tests' runs do not meet its posts.
    const cancel = await panel.api({ key: user.apiKey, action: 'cancel', order: accepted });
    expect(cancel.text).toBe(`[{"order":${accepted},"cancel":1}]`);
    expect(await row(accepted)).toMatchObject({ status: 'canceled', unpaidPosts: 0 });
  });
});

describe('subscriptions: recording posts', () => {
  // 1.23457 per 1000: 333 → 41111.181 → 0.41112; 200 → 24691.4 → 0.24692; 999 → 123333.543 → 1.23334.
  let service: number;
  beforeAll(async () => {
    service = await panel.createService({ type: 'Subscriptions', rate: '1.23457', min: 100, max: 5000 });
  });
  const terms = { username: 'someone', min: 200, max: 999, delay: 30 };

  it('each post is a child order charged once; status shows the posts, their ids and the charge sum', async () => {
    const user = await panel.customer('100');
    const id = await subscribe(user, { service, ...terms });

    const first = valueOf(await record(id, 333));
    expect(first).toMatchObject({
      kind: 'order',
      parentId: id,
      userId: user.id,
      serviceId: service,
      status: 'Pending',
      link: 'someone',
      quantity: 333,
      rate: '1.23457',
      charge: '0.41112',
      refunded: '0.00000',
      startCount: 0,
      remains: 333,
    });
    expect(await balance(user)).toBe('99.58888');

    // No quantity: a random one within the subscription's min..max, from the injected source.
    const second = valueOf(await record(id, undefined, sequence(0)));
    expect(second).toMatchObject({ quantity: 200, charge: '0.24692' });
    const third = valueOf(await record(id, undefined, sequence(0.9999999)));
    expect(third).toMatchObject({ quantity: 999, charge: '1.23334' });

    const children = await posts(id);
    expect(children.map((c) => [Number(c.id), Number(c.run_number), Number(c.quantity), c.charge])).toEqual([
      [first.id, 1, 333, 41_112n],
      [second.id, 2, 200, 24_692n],
      [third.id, 3, 999, 123_334n],
    ]);
    for (const child of children) {
      expect(child).toMatchObject({ kind: 'order', status: 'pending', link: 'someone' });
      await expectChargedOnce(child);
    }
    // 0.41112 + 0.24692 + 1.23334 = 1.89138.
    expect(await statusText(user, id)).toBe(
      statusLine({ status: 'Active', orders: [first.id, second.id, third.id], charge: '1.89138' }),
    );
    expect(await balance(user)).toBe('98.10862');
    // Each child answers `status` as an ordinary order of the customer's.
    expect(await statusText(user, second.id)).toBe(
      '{"charge":"0.24692","start_count":"0","status":"Pending","remains":"200","currency":"USD"}',
    );
    expect(await count(countLedgerOf, user.id)).toBe(4);
  });

  it("refuses a quantity outside the subscription's min..max, creating and charging nothing", async () => {
    const user = await panel.customer('100');
    const id = await subscribe(user, { service, ...terms });
    for (const quantity of [199, 1000, 100, 5000]) {
      expect(await record(id, quantity)).toEqual({
        ok: false,
        failure: {
          code: 'INVALID_INPUT',
          field: 'quantity',
          reason: `between 200 and 999 (the subscription's min and max), got ${quantity}`,
        },
      });
    }
    expect((await record(id, 0)).ok).toBe(false);
    expect(valueOf(await record(id, 200)).charge).toBe('0.24692');
    expect(valueOf(await record(id, 999)).charge).toBe('1.23334');
    expect((await posts(id)).length).toBe(2);
    expect(await balance(user)).toBe('98.51974');
  });

  it('refuses an unknown id and an order that is not a subscription', async () => {
    expect(await record(987_654_321, 300)).toEqual({
      ok: false,
      failure: { code: 'ORDER_NOT_FOUND', id: 987_654_321 },
    });
    const plain = await panel.createService({ rate: '1.00', min: 10, max: 1000 });
    const user = await panel.customer('10');
    const order = await subscribe(user, { service: plain, link: 'https://x.test/p', quantity: 100 });
    expect(await record(order, 300)).toMatchObject({
      ok: false,
      failure: { code: 'INVALID_INPUT', field: 'order' },
    });
    expect(await balance(user)).toBe('9.90000');
  });

  it('completes when the posts limit is reached, then takes no more posts', async () => {
    const user = await panel.customer('100');
    const id = await subscribe(user, { service, ...terms, posts: 2 });
    const first = valueOf(await record(id, 200));
    expect(await statusText(user, id)).toBe(
      statusLine({ status: 'Active', orders: [first.id], charge: '0.24692' }),
    );
    const second = valueOf(await record(id, 200));
    expect(await statusText(user, id)).toBe(
      statusLine({ status: 'Completed', orders: [first.id, second.id], charge: '0.49384' }),
    );
    expect(await record(id, 200)).toEqual({
      ok: false,
      failure: { code: 'SUBSCRIPTION_FINISHED', id, status: 'Completed' },
    });
    expect((await posts(id)).length).toBe(2);
    expect(await balance(user)).toBe('99.50616');
  });

  it('numbers posts recorded concurrently one after another, each charged once', async () => {
    const user = await panel.customer('100');
    const id = await subscribe(user, { service, ...terms });
    const results = await Promise.all([200, 201, 202, 203, 204, 205].map((quantity) => record(id, quantity)));
    expect(results.every((result) => result.ok)).toBe(true);
    const children = await posts(id);
    expect(children.map((c) => Number(c.run_number))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(children.map((c) => Number(c.quantity)).sort()).toEqual([200, 201, 202, 203, 204, 205]);
    for (const child of children) await expectChargedOnce(child);
  });
});

describe('subscriptions: expiry', () => {
  it('Expired once the expiry date begins (UTC), not a millisecond before; then takes no posts', async () => {
    const service = await panel.createService({ type: 'Subscriptions', rate: '1.00', min: 100, max: 1000 });
    const user = await panel.customer('10');
    const id = await subscribe(user, {
      service,
      username: 'u',
      min: 100,
      max: 200,
      delay: 0,
      expiry: '28/11/2026',
    });
    const post = valueOf(await record(id, 100));

    panel.clock.set(Date.UTC(2026, 10, 28) - 1);
    expect(await expireSubscriptions(panel.ctx)).toBe(0);
    expect((await row(id))?.status).toBe('active');

    panel.clock.set(Date.UTC(2026, 10, 28));
    expect(await expireSubscriptions(panel.ctx)).toBe(1);
    expect(await statusText(user, id)).toBe(
      statusLine({ status: 'Expired', expiry: '28/11/2026', orders: [post.id], charge: '0.10000' }),
    );
    expect(await expireSubscriptions(panel.ctx)).toBe(0);
    expect(await record(id, 100)).toEqual({
      ok: false,
      failure: { code: 'SUBSCRIPTION_FINISHED', id, status: 'Expired' },
    });
    expect(await balance(user)).toBe('9.90000');
  });

  it('a post recorded after the expiry date, before the expiry job ran, expires the subscription instead', async () => {
    const service = await panel.createService({
      type: 'Subscriptions',
      rate: '1.00',
      min: 100,
      max: 1000,
      allowOldPosts: true,
    });
    const user = await panel.customer('10');
    const params = { service, username: 'u', min: 100, max: 200, delay: 0, expiry: '29/11/2026' };
    const id = await subscribe(user, params);
    const withOldPosts = await subscribe(user, { ...params, old_posts: 2 });

    panel.clock.set(Date.UTC(2026, 10, 29, 0, 0, 1));
    expect(await record(id, 100)).toEqual({
      ok: false,
      failure: { code: 'SUBSCRIPTION_FINISHED', id, status: 'Expired' },
    });
    expect((await row(id))?.status).toBe('expired');
    // The dispatcher leaves posts of an expired subscription alone, even before the expiry job.
    expect((await dispatchSubscriptionPosts(panel.ctx, { random: lowest })).created).toBe(0);
    expect(await expireSubscriptions(panel.ctx)).toBe(1);
    expect(await row(withOldPosts)).toMatchObject({ status: 'expired', unpaidPosts: 2 });
    expect(await posts(withOldPosts)).toEqual([]);
    expect(await balance(user)).toBe('10.00000');
  });
});

describe('subscriptions: paused for funds', () => {
  // 1.00 per 1000: quantity 100 costs 0.10000, 1000 costs 1.00000.
  it('a post the balance cannot pay pauses it (no child, no charge); funds added, the dispatcher resumes it', async () => {
    const service = await panel.createService({ type: 'Subscriptions', rate: '1.00', min: 100, max: 1000 });
    const user = await panel.customer('1');
    const id = await subscribe(user, { service, username: 'someone', min: 100, max: 1000, delay: 0 });
    const first = valueOf(await record(id, 1000));
    expect(await balance(user)).toBe('0.00000');
    const ordersBefore = await count(countOrdersOf, user.id);
    const ledgerBefore = await count(countLedgerOf, user.id);

    expect(await record(id, 100)).toEqual({
      ok: false,
      failure: { code: 'SUBSCRIPTION_PAUSED', id, charge: '0.10000', balance: '0.00000' },
    });
    expect(await statusText(user, id)).toBe(
      statusLine({ status: 'Paused', orders: [first.id], charge: '1.00000' }),
    );
    expect(await row(id)).toMatchObject({ status: 'paused', unpaidPosts: 1 });
    expect(await count(countOrdersOf, user.id)).toBe(ordersBefore);
    expect(await count(countLedgerOf, user.id)).toBe(ledgerBefore);

    // Still not enough: nothing happens.
    expect((await dispatchSubscriptionPosts(panel.ctx, { random: sequence(0) })).created).toBe(0);
    await panel.fund(user, '0.05');
    expect((await dispatchSubscriptionPosts(panel.ctx, { random: sequence(0) })).created).toBe(0);
    expect(await row(id)).toMatchObject({ status: 'paused', unpaidPosts: 1 });

    // Another post while paused and short: it waits too.
    expect((await record(id, 100)).ok).toBe(false);
    expect(await row(id)).toMatchObject({ status: 'paused', unpaidPosts: 2 });

    await panel.fund(user, '0.2');
    expect(await balance(user)).toBe('0.25000');
    expect((await dispatchSubscriptionPosts(panel.ctx, { random: sequence(0, 0) })).created).toBe(2);
    const children = await posts(id);
    expect(children.map((c) => [Number(c.run_number), Number(c.quantity), c.charge])).toEqual([
      [1, 1000, 100_000n],
      [2, 100, 10_000n],
      [3, 100, 10_000n],
    ]);
    for (const child of children) await expectChargedOnce(child);
    expect(await row(id)).toMatchObject({ status: 'active', unpaidPosts: 0 });
    expect(await statusText(user, id)).toBe(
      statusLine({ status: 'Active', orders: children.map((c) => Number(c.id)), charge: '1.20000' }),
    );
    expect(await balance(user)).toBe('0.05000');
    expect((await dispatchSubscriptionPosts(panel.ctx, { random: sequence() })).created).toBe(0);
  });

  it('the dispatcher pays what it can and stays paused for the rest', async () => {
    const service = await panel.createService({
      type: 'Subscriptions',
      rate: '1.00',
      min: 100,
      max: 1000,
      allowOldPosts: true,
    });
    const user = await panel.customer('1');
    const id = await subscribe(user, { service, username: 'u', min: 100, max: 1000, delay: 0, old_posts: 3 });
    // 1000 (1.00000) is paid, then 1000 more cannot be.
    expect(
      (await dispatchSubscriptionPosts(panel.ctx, { random: sequence(0.9999999, 0.9999999) })).created,
    ).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'paused', unpaidPosts: 2 });
    await panel.fund(user, '0.2');
    expect((await dispatchSubscriptionPosts(panel.ctx, { random: sequence(0, 0) })).created).toBe(2);
    expect(await row(id)).toMatchObject({ status: 'active', unpaidPosts: 0 });
    expect(await balance(user)).toBe('0.00000');
  });
});

describe('subscriptions: old posts', () => {
  it('the dispatcher creates and charges that many children; old posts come on top of the posts limit', async () => {
    const service = await panel.createService({
      type: 'Subscriptions',
      rate: '1.00',
      min: 100,
      max: 1000,
      allowOldPosts: true,
    });
    const user = await panel.customer('100');
    const id = await subscribe(user, {
      service,
      username: 'u',
      min: 100,
      max: 1000,
      delay: 0,
      old_posts: 3,
      posts: 2,
    });

    // min + ⌊r × 901⌋: 100, 550, 1000 → 0.10000 + 0.55000 + 1.00000.
    const run = await dispatchSubscriptionPosts(panel.ctx, { random: sequence(0, 0.5, 0.9999999) });
    expect(run.created).toBe(3);
    const children = await posts(id);
    expect(children.map((c) => [Number(c.run_number), Number(c.quantity), c.charge])).toEqual([
      [1, 100, 10_000n],
      [2, 550, 55_000n],
      [3, 1000, 100_000n],
    ]);
    for (const child of children) {
      expect(child).toMatchObject({ kind: 'order', status: 'pending', link: 'u', user_id: BigInt(user.id) });
      await expectChargedOnce(child);
    }
    expect(await row(id)).toMatchObject({ status: 'active', unpaidPosts: 0 });
    expect(await statusText(user, id)).toBe(
      statusLine({ status: 'Active', orders: children.map((c) => Number(c.id)), charge: '1.65000' }),
    );
    expect(await balance(user)).toBe('98.35000');
    // Nothing waits any more: another run creates nothing.
    expect((await dispatchSubscriptionPosts(panel.ctx, { random: sequence() })).created).toBe(0);

    // posts=2 counts new posts only.
    valueOf(await record(id, 100));
    expect((await row(id))?.status).toBe('active');
    valueOf(await record(id, 100));
    expect((await row(id))?.status).toBe('completed');
    expect(JSON.parse(await statusText(user, id))).toMatchObject({
      status: 'Completed',
      posts: '5',
      charge: '1.85000',
    });
  });
});

describe('subscriptions: a long backlog', () => {
  it(`is created ${MAX_POSTS_PER_SUBSCRIPTION} posts per run, the rest left waiting: exact, each charged once`, async () => {
    const service = await panel.createService({
      type: 'Subscriptions',
      rate: '1.00',
      min: 100,
      max: 1000,
      allowOldPosts: true,
    });
    const user = await panel.customer('100');
    const oldPosts = 2 * MAX_POSTS_PER_SUBSCRIPTION + 7;
    const id = await subscribe(user, {
      service,
      username: 'u',
      min: 100,
      max: 1000,
      delay: 0,
      old_posts: oldPosts,
    });

    // Each run is one transaction per subscription: it stops at the cap and saves what is left.
    for (const [created, unpaidPosts] of [
      [MAX_POSTS_PER_SUBSCRIPTION, oldPosts - MAX_POSTS_PER_SUBSCRIPTION],
      [MAX_POSTS_PER_SUBSCRIPTION, 7],
      [7, 0],
      [0, 0],
    ] as const) {
      expect((await dispatchSubscriptionPosts(panel.ctx, { random: lowest })).created).toBe(created);
      expect(await row(id)).toMatchObject({ status: 'active', unpaidPosts });
      expect((await posts(id)).length).toBe(oldPosts - unpaidPosts);
    }

    const children = await posts(id);
    expect(children.map((c) => Number(c.run_number))).toEqual(
      Array.from({ length: oldPosts }, (_, i) => i + 1),
    );
    for (const child of children) {
      expect(child).toMatchObject({ quantity: 100n, charge: 10_000n, status: 'pending' });
      await expectChargedOnce(child);
    }
    // Every post costs 0.10000 (quantity 100 at 1.00); one ledger entry each, besides the funding.
    expect(await count(countLedgerOf, user.id)).toBe(1 + oldPosts);
    expect(await balance(user)).toBe((100 - oldPosts / 10).toFixed(5));
    expect(JSON.parse(await statusText(user, id))).toMatchObject({
      status: 'Active',
      posts: String(oldPosts),
      charge: (oldPosts / 10).toFixed(5),
    });
  });
});

describe('subscriptions: concurrent dispatchers', () => {
  async function manyWaiting(subscriptions: number, oldPosts: number) {
    const service = await panel.createService({
      type: 'Subscriptions',
      rate: '1.00',
      min: 100,
      max: 1000,
      allowOldPosts: true,
    });
    const user = await panel.customer('100');
    const ids: number[] = [];
    for (let i = 0; i < subscriptions; i++) {
      ids.push(
        await subscribe(user, {
          service,
          username: `u${i}`,
          min: 100,
          max: 1000,
          delay: 0,
          old_posts: oldPosts,
        }),
      );
    }
    return { user, ids };
  }

  async function expectEachPostOnce(user: TestUser, ids: readonly number[], oldPosts: number) {
    for (const id of ids) {
      const children = await posts(id);
      expect(children.map((c) => Number(c.run_number))).toEqual(
        Array.from({ length: oldPosts }, (_, i) => i + 1),
      );
      for (const child of children) await expectChargedOnce(child);
      expect(await row(id)).toMatchObject({ status: 'active', unpaidPosts: 0 });
    }
    // Every post costs 0.10000 (quantity 100 at 1.00).
    const total = ids.length * oldPosts;
    expect(await balance(user)).toBe((100 - total * 0.1).toFixed(5));
  }

  it('two runs at once (Promise.all) never create a post twice', async () => {
    const { user, ids } = await manyWaiting(8, 3);
    const runs = await Promise.all([
      dispatchSubscriptionPosts(panel.ctx, { random: lowest }),
      dispatchSubscriptionPosts(panel.ctx, { random: lowest }),
    ]);
    expect(runs[0].created + runs[1].created).toBe(24);
    await expectEachPostOnce(user, ids, 3);
  });

  it('runs from a second database connection pool (another node) never create a post twice', async () => {
    const { user, ids } = await manyWaiting(10, 4);
    const other = openDatabase(parseDatabaseUrl(panel.database.url));
    try {
      const otherCtx: Context = { ...panel.ctx, db: other };
      const runs = await Promise.all([
        dispatchSubscriptionPosts(panel.ctx, { random: lowest }),
        dispatchSubscriptionPosts(otherCtx, { random: lowest }),
        dispatchSubscriptionPosts(panel.ctx, { random: lowest }),
        dispatchSubscriptionPosts(otherCtx, { random: lowest }),
      ]);
      expect(runs.reduce((sum, run) => sum + run.created, 0)).toBe(40);
    } finally {
      await other.close();
    }
    await expectEachPostOnce(user, ids, 4);
  });

  it('a recorded post racing the dispatcher gets its own number', async () => {
    const { user, ids } = await manyWaiting(1, 3);
    const id = ids[0]!;
    const [run, first, second] = await Promise.all([
      dispatchSubscriptionPosts(panel.ctx, { random: lowest }),
      record(id, 100),
      record(id, 100),
    ]);
    expect([first.ok, second.ok]).toEqual([true, true]);
    // On PostgreSQL a dispatcher skips a subscription whose row a recording holds: the next run takes it.
    const later = await dispatchSubscriptionPosts(panel.ctx, { random: lowest });
    expect(run.created + later.created).toBe(3);
    const children = await posts(id);
    expect(children.map((c) => Number(c.run_number))).toEqual([1, 2, 3, 4, 5]);
    for (const child of children) await expectChargedOnce(child);
    expect(await balance(user)).toBe('99.50000');
  });
});

describe('subscriptions: worker', () => {
  it('registers the dispatcher at the dispatch cadence and the expiry job at the sync cadence', () => {
    const jobs = workerJobs(
      { dispatchIntervalMs: 2000, syncIntervalMs: 30_000 },
      { log: { warn: () => undefined, error: () => undefined } },
    );
    expect(jobs.find((job) => job.name === 'dispatch-subscription-posts')?.intervalMs).toBe(2000);
    expect(jobs.find((job) => job.name === 'expire-subscriptions')?.intervalMs).toBe(30_000);
  });
});
