import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDraft } from '../../src/app/catalog/service-draft.js';
import { SERVICE_TYPE_NAMES, type ServiceTypeName } from '../../src/domain/service-types.js';
import { sql } from '../../src/store/database.js';
import { type ApiResponse, TestPanel, type TestUser, type Transport } from '../support/test-panel.js';

/**
 * `add` for each of the 16 service types over real HTTP: the right parameter set is accepted, the
 * order is charged exactly (rate × quantity / 1000 rounded up to 0.00001, flat for the package
 * types, quantity counted from lines where the type says so), and `status` / `balance` agree.
 */

const JSON_TYPE = 'application/json; charset=utf-8';

const countOrdersOf = sql('SELECT COUNT(*) AS count FROM orders WHERE user_id = ?');
const countLedgerOf = sql('SELECT COUNT(*) AS count FROM ledger_entries WHERE user_id = ?');

let panel: TestPanel;

beforeAll(async () => {
  panel = await TestPanel.start();
});
afterAll(() => panel.close());

function expectJson(response: ApiResponse): void {
  expect(response.status).toBe(200);
  expect(response.contentType).toBe(JSON_TYPE);
}

async function add(user: TestUser, params: Record<string, string | number>, transport: Transport = 'form') {
  const response = await panel.api({ key: user.apiKey, action: 'add', ...params }, { transport });
  expectJson(response);
  return response;
}

async function status(user: TestUser, order: number): Promise<unknown> {
  const response = await panel.api({ key: user.apiKey, action: 'status', order });
  expectJson(response);
  return response.json;
}

async function balance(user: TestUser): Promise<string> {
  const response = await panel.api({ key: user.apiKey, action: 'balance' });
  expectJson(response);
  expect(response.json).toEqual({ balance: expect.any(String), currency: 'USD' });
  return response.json.balance as string;
}

async function count(statement: ReturnType<typeof sql>, userId: number): Promise<number> {
  const row = await panel.db.get<{ count: bigint | number }>(statement, [userId]);
  return Number(row!.count);
}

interface TypeCase {
  /** Service settings: the type itself plus rate and bounds. */
  readonly service: Partial<ServiceDraft> & { type: ServiceTypeName; rate: string };
  /** The `add` parameters beyond key, action and service. */
  readonly params: Record<string, string | number>;
  readonly quantity: number;
  /** Worked out by hand, not by the code under test. */
  readonly charge: string;
  /** 100.00000 less the charge. */
  readonly balanceAfter: string;
}

const LINK = 'https://instagram.com/p/Cx1Ab2';

const CASES: Record<Exclude<ServiceTypeName, 'Subscriptions'>, TypeCase> = {
  // 12345 × 777 / 1000 = 9592.065 → 9593 units.
  Default: {
    service: { type: 'Default', rate: '0.12345', min: 10, max: 10000 },
    params: { link: LINK, quantity: 777 },
    quantity: 777,
    charge: '0.09593',
    balanceAfter: '99.90407',
  },
  // Flat: the rate is the price; quantity is 1.
  Package: {
    service: { type: 'Package', rate: '3.50', min: 1, max: 1 },
    params: { link: LINK },
    quantity: 1,
    charge: '3.50000',
    balanceAfter: '96.50000',
  },
  // 3 non-empty lines (blank and whitespace-only lines dropped): 200001 × 3 / 1000 = 600.003 → 601.
  'Custom Comments': {
    service: { type: 'Custom Comments', rate: '2.00001', min: 1, max: 100 },
    params: { link: LINK, comments: 'great shot\r\n\r\nnice pic\n   \nwow' },
    quantity: 3,
    charge: '0.00601',
    balanceAfter: '99.99399',
  },
  // Flat whatever the number of comments; quantity is still the line count.
  'Custom Comments Package': {
    service: { type: 'Custom Comments Package', rate: '7.25', min: 1, max: 100 },
    params: { link: LINK, comments: 'one\ntwo\r\nthree\n\nfour\n' },
    quantity: 4,
    charge: '7.25000',
    balanceAfter: '92.75000',
  },
  // 111111 × 250 / 1000 = 27777.75 → 27778.
  Mentions: {
    service: { type: 'Mentions', rate: '1.11111', min: 10, max: 10000 },
    params: { link: LINK, quantity: 250, usernames: 'alice\nbob\ncarol' },
    quantity: 250,
    charge: '0.27778',
    balanceAfter: '99.72222',
  },
  // 50000 × 1001 / 1000 = 50050 exactly.
  'Mentions with Hashtags': {
    service: { type: 'Mentions with Hashtags', rate: '0.5', min: 10, max: 10000 },
    params: { link: LINK, quantity: 1001, usernames: 'alice\nbob', hashtags: '#sun\n#sea' },
    quantity: 1001,
    charge: '0.50050',
    balanceAfter: '99.49950',
  },
  // 5 usernames: 400003 × 5 / 1000 = 2000.015 → 2001.
  'Mentions Custom List': {
    service: { type: 'Mentions Custom List', rate: '4.00003', min: 1, max: 1000 },
    params: { link: LINK, usernames: 'a1\r\nb2\r\nc3\r\n\r\nd4\r\ne5' },
    quantity: 5,
    charge: '0.02001',
    balanceAfter: '99.97999',
  },
  // 33333 × 100 / 1000 = 3333.3 → 3334.
  'Mentions Hashtag': {
    service: { type: 'Mentions Hashtag', rate: '0.33333', min: 10, max: 10000 },
    params: { link: LINK, quantity: 100, hashtag: '#sunset' },
    quantity: 100,
    charge: '0.03334',
    balanceAfter: '99.96666',
  },
  // 250000 × 40 / 1000 = 10000 exactly.
  'Mentions User Followers': {
    service: { type: 'Mentions User Followers', rate: '2.5', min: 10, max: 10000 },
    params: { link: LINK, quantity: 40, username: 'https://instagram.com/someone' },
    quantity: 40,
    charge: '0.10000',
    balanceAfter: '99.90000',
  },
  // 123 × 999 / 1000 = 122.877 → 123.
  'Mentions Media Likers': {
    service: { type: 'Mentions Media Likers', rate: '0.00123', min: 10, max: 10000 },
    params: { link: LINK, quantity: 999, media: 'https://instagram.com/p/Media99' },
    quantity: 999,
    charge: '0.00123',
    balanceAfter: '99.99877',
  },
  // 999999 × 10 / 1000 = 9999.99 → 10000.
  'Comment Likes': {
    service: { type: 'Comment Likes', rate: '9.99999', min: 10, max: 10000 },
    params: { link: LINK, quantity: 10, username: 'commenter' },
    quantity: 10,
    charge: '0.10000',
    balanceAfter: '99.90000',
  },
  // 2 comments: 600000 × 2 / 1000 = 1200.
  'Comment Replies': {
    service: { type: 'Comment Replies', rate: '6', min: 1, max: 100 },
    params: { link: LINK, username: 'owner', comments: 'thanks!\n\nagreed' },
    quantity: 2,
    charge: '0.01200',
    balanceAfter: '99.98800',
  },
  // 80000 × 1234 / 1000 = 98720.
  Poll: {
    service: { type: 'Poll', rate: '0.8', min: 10, max: 10000 },
    params: { link: LINK, quantity: 1234, answer_number: 2 },
    quantity: 1234,
    charge: '0.98720',
    balanceAfter: '99.01280',
  },
  // 1234567 × 3333 / 1000 = 4114811.811 → 4114812.
  'Invites from Groups': {
    service: { type: 'Invites from Groups', rate: '12.34567', min: 10, max: 10000 },
    params: { link: LINK, quantity: 3333, groups: 'https://t.me/group_one\nhttps://t.me/group_two' },
    quantity: 3333,
    charge: '41.14812',
    balanceAfter: '58.85188',
  },
  // 7000 × 50000 / 1000 = 350000.
  SEO: {
    service: { type: 'SEO', rate: '0.07', min: 100, max: 100000 },
    params: { link: 'https://example.com/', quantity: 50000, keywords: 'smm panel\ncheap followers' },
    quantity: 50000,
    charge: '3.50000',
    balanceAfter: '96.50000',
  },
};

describe('add: every service type', () => {
  it('covers all 16 types (15 one-off order types here, Subscriptions below)', () => {
    expect([...Object.keys(CASES), 'Subscriptions'].sort()).toEqual([...SERVICE_TYPE_NAMES].sort());
  });

  for (const [type, c] of Object.entries(CASES)) {
    it(`${type}: charges ${c.charge} for quantity ${c.quantity}, status and balance agree`, async () => {
      const service = await panel.createService({ name: `${type} service`, ...c.service });
      const user = await panel.customer('100');
      expect(await balance(user)).toBe('100.00000');

      const placed = await add(user, { service, ...c.params });
      expect(placed.json).toEqual({ order: expect.any(Number) });
      expect(Number.isSafeInteger(placed.json.order)).toBe(true);
      expect(placed.text).toBe(`{"order":${placed.json.order}}`);

      expect(await status(user, placed.json.order)).toEqual({
        charge: c.charge,
        start_count: '0',
        status: 'Pending',
        remains: String(c.quantity),
        currency: 'USD',
      });
      expect(await balance(user)).toBe(c.balanceAfter);
      expect(await count(countOrdersOf, user.id)).toBe(1);
      // One deposit, one charge.
      expect(await count(countLedgerOf, user.id)).toBe(2);
    });
  }

  it('a second order of the same type is charged again, exactly', async () => {
    const c = CASES.Default;
    const service = await panel.createService(c.service);
    const user = await panel.customer('100');
    const first = await add(user, { service, ...c.params });
    const second = await add(user, { service, ...c.params });
    expect(second.json.order).toBeGreaterThan(first.json.order);
    // 100 - 2 × 0.09593
    expect(await balance(user)).toBe('99.80814');
  });
});

describe('add: line-counted parameters arrive the same over every transport', () => {
  const transports: Transport[] = ['form', 'multipart', 'json', 'get'];
  for (const transport of transports) {
    it(`Custom Comments over ${transport}: CRLF, LF and blank lines give 3 comments`, async () => {
      const c = CASES['Custom Comments'];
      const service = await panel.createService(c.service);
      const user = await panel.customer('100');
      const placed = await add(user, { service, ...c.params }, transport);
      expect(placed.json).toEqual({ order: expect.any(Number) });
      expect(await status(user, placed.json.order)).toEqual({
        charge: '0.00601',
        start_count: '0',
        status: 'Pending',
        remains: '3',
        currency: 'USD',
      });
      expect(await balance(user)).toBe('99.99399');
    });
  }

  it('a JSON array of comments counts one comment per element', async () => {
    const service = await panel.createService({ type: 'Custom Comments', rate: '1', min: 1, max: 100 });
    const user = await panel.customer('100');
    const response = await fetch(panel.apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        key: user.apiKey,
        action: 'add',
        service,
        link: LINK,
        comments: ['a', 'b', 'c', 'd'],
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(JSON_TYPE);
    const placed = (await response.json()) as { order: number };
    expect(placed).toEqual({ order: expect.any(Number) });
    // 100000 × 4 / 1000 = 400.
    expect(await status(user, placed.order)).toEqual({
      charge: '0.00400',
      start_count: '0',
      status: 'Pending',
      remains: '4',
      currency: 'USD',
    });
    expect(await balance(user)).toBe('99.99600');
  });
});

describe('add: Subscriptions', () => {
  // One child at max: 123457 × 999 / 1000 = 123333.543 → 123334 units = 1.23334.
  const SUBSCRIPTION: Partial<ServiceDraft> = {
    type: 'Subscriptions',
    rate: '1.23457',
    min: 100,
    max: 5000,
    allowOldPosts: true,
  };
  const terms = { username: 'someone', min: 200, max: 999, delay: 30 };

  it('answers {order}, shows the subscription shape and charges nothing', async () => {
    const service = await panel.createService(SUBSCRIPTION);
    const user = await panel.customer('100');
    const placed = await add(user, { service, ...terms, posts: 10, old_posts: 2, expiry: '31/12/2026' });
    expect(placed.json).toEqual({ order: expect.any(Number) });
    expect(placed.text).toBe(`{"order":${placed.json.order}}`);
    expect(await status(user, placed.json.order)).toEqual({
      status: 'Active',
      expiry: '31/12/2026',
      posts: '0',
      orders: [],
      charge: '0.00000',
      currency: 'USD',
    });
    expect(await balance(user)).toBe('100.00000');
    expect(await count(countOrdersOf, user.id)).toBe(1);
    expect(await count(countLedgerOf, user.id)).toBe(1);
  });

  it('without expiry the subscription never expires (expiry null)', async () => {
    const service = await panel.createService(SUBSCRIPTION);
    const user = await panel.customer('100');
    const placed = await add(user, { service, ...terms });
    expect(placed.json).toEqual({ order: expect.any(Number) });
    expect(await status(user, placed.json.order)).toEqual({
      status: 'Active',
      expiry: null,
      posts: '0',
      orders: [],
      charge: '0.00000',
      currency: 'USD',
    });
    expect(await balance(user)).toBe('100.00000');
  });

  it('is accepted when the balance covers exactly one child at max', async () => {
    const service = await panel.createService(SUBSCRIPTION);
    const user = await panel.customer('1.23334');
    const placed = await add(user, { service, ...terms });
    expect(placed.json).toEqual({ order: expect.any(Number) });
    expect(await balance(user)).toBe('1.23334');
  });

  it('is refused with "Not enough funds on balance" one unit short of one child at max', async () => {
    const service = await panel.createService(SUBSCRIPTION);
    const user = await panel.customer('1.23333');
    const refused = await add(user, { service, ...terms });
    expect(refused.text).toBe('{"error":"Not enough funds on balance"}');
    expect(await balance(user)).toBe('1.23333');
    expect(await count(countOrdersOf, user.id)).toBe(0);
  });

  it('is refused with "Not enough funds on balance" on an empty balance', async () => {
    const service = await panel.createService(SUBSCRIPTION);
    const user = await panel.customer('0');
    const refused = await add(user, { service, ...terms });
    expect(refused.text).toBe('{"error":"Not enough funds on balance"}');
    expect(await balance(user)).toBe('0.00000');
    expect(await count(countOrdersOf, user.id)).toBe(0);
  });
});

describe('add: drip-feed', () => {
  it('a Default service with drip-feed: runs=5 interval=10 is charged for runs × quantity', async () => {
    const service = await panel.createService({
      type: 'Default',
      rate: '0.90',
      min: 10,
      max: 10000,
      dripfeed: true,
    });
    const user = await panel.customer('100');
    const placed = await add(user, { service, link: LINK, quantity: 1000, runs: 5, interval: 10 });
    expect(placed.json).toEqual({ order: expect.any(Number) });
    expect(placed.text).toBe(`{"order":${placed.json.order}}`);
    // 90000 × 5000 / 1000 = 450000 units.
    expect(await status(user, placed.json.order)).toEqual({
      charge: '4.50000',
      start_count: '0',
      status: 'Pending',
      remains: '5000',
      currency: 'USD',
      runs: '5',
      orders: [],
    });
    expect(await balance(user)).toBe('95.50000');
    expect(await count(countOrdersOf, user.id)).toBe(1);
  });

  it('the same drip-feed service without runs and interval places a plain order', async () => {
    const service = await panel.createService({
      type: 'Default',
      rate: '0.90',
      min: 10,
      max: 10000,
      dripfeed: true,
    });
    const user = await panel.customer('100');
    const placed = await add(user, { service, link: LINK, quantity: 1000 });
    expect(await status(user, placed.json.order)).toEqual({
      charge: '0.90000',
      start_count: '0',
      status: 'Pending',
      remains: '1000',
      currency: 'USD',
    });
    expect(await balance(user)).toBe('99.10000');
  });

  it('is accepted when the balance covers all runs exactly', async () => {
    const service = await panel.createService({
      type: 'Default',
      rate: '0.90',
      min: 10,
      max: 10000,
      dripfeed: true,
    });
    const user = await panel.customer('4.5');
    const placed = await add(user, { service, link: LINK, quantity: 1000, runs: 5, interval: 10 });
    expect(placed.json).toEqual({ order: expect.any(Number) });
    expect(await balance(user)).toBe('0.00000');
  });
});
