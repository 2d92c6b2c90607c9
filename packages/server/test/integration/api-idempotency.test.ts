import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { type ApiResponse, TestPanel, type TestUser, type Transport } from '../support/test-panel.js';

/**
 * The `request_id` / `Idempotency-Key` extension of `add`: the same key from the same user within
 * 24 hours returns the first answer and creates nothing new, whatever the timing of the retries.
 */

const JSON_TYPE = 'application/json; charset=utf-8';
const LINK = 'https://instagram.com/p/Idem1';
const DAY_MS = 24 * 60 * 60 * 1000;
const MISMATCH = '{"error":"request_id was used with other parameters"}';
const TRANSPORTS: readonly Transport[] = ['form', 'json', 'multipart', 'get'];

const countOrdersOf = sql('SELECT COUNT(*) AS count FROM orders WHERE user_id = ?');
const countChargesOf = sql(
  "SELECT COUNT(*) AS count FROM ledger_entries WHERE user_id = ? AND kind = 'charge'",
);
const countKeysOf = sql('SELECT COUNT(*) AS count FROM idempotency_keys WHERE user_id = ?');

let panel: TestPanel;
/** 0.90 per 1000, min 10: 1000 units cost 0.90000. */
let service: number;

beforeAll(async () => {
  panel = await TestPanel.start();
  service = await panel.createService({ rate: '0.90', min: 10, max: 10000 });
});
afterAll(() => panel.close());

type Params = Record<string, string | number>;

async function count(statement: ReturnType<typeof sql>, userId: number): Promise<number> {
  const row = await panel.db.get<{ count: bigint | number }>(statement, [userId]);
  return Number(row!.count);
}

async function add(
  user: TestUser,
  params: Params,
  options: { transport?: Transport; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const response = await panel.api({ key: user.apiKey, action: 'add', ...params }, options);
  expect(response.status).toBe(200);
  expect(response.contentType).toBe(JSON_TYPE);
  return response;
}

async function balance(user: TestUser): Promise<string> {
  const response = await panel.api({ key: user.apiKey, action: 'balance' });
  return response.json.balance as string;
}

async function expectState(user: TestUser, state: { balance: string; orders: number; charges: number }) {
  expect({
    balance: await balance(user),
    orders: await count(countOrdersOf, user.id),
    charges: await count(countChargesOf, user.id),
  }).toEqual(state);
}

/** `n` adds at once over real HTTP, spread over the four transports. */
function concurrentAdds(
  user: TestUser,
  n: number,
  params: Params,
  headers?: Record<string, string>,
): Promise<ApiResponse[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      panel.api(
        { key: user.apiKey, action: 'add', ...params },
        { transport: TRANSPORTS[i % TRANSPORTS.length], headers },
      ),
    ),
  );
}

function expectAllJson(answers: readonly ApiResponse[]): void {
  for (const answer of answers) {
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe(JSON_TYPE);
  }
}

describe('request_id', () => {
  it('a replay with the same key and parameters answers the same order and charges once', async () => {
    const user = await panel.customer('100');
    const params = { service, link: LINK, quantity: 1000, request_id: 'order-0001' };
    const first = await add(user, params);
    expect(first.json).toEqual({ order: expect.any(Number) });
    const second = await add(user, params);
    const third = await add(user, params);
    expect(second.text).toBe(first.text);
    expect(third.text).toBe(first.text);
    await expectState(user, { balance: '99.10000', orders: 1, charges: 1 });
    expect(await count(countKeysOf, user.id)).toBe(1);
  });

  it('a replay over another transport (JSON numbers, multipart, GET) is still the same request', async () => {
    const user = await panel.customer('100');
    const params = { service, link: LINK, quantity: 1000, request_id: 'cross-transport' };
    const first = await add(user, params);
    for (const transport of ['json', 'multipart', 'get'] as const) {
      expect((await add(user, params, { transport })).text).toBe(first.text);
    }
    await expectState(user, { balance: '99.10000', orders: 1, charges: 1 });
  });

  it('the replay answers the first order even after later orders', async () => {
    const user = await panel.customer('100');
    const keyed = { service, link: LINK, quantity: 1000, request_id: 'first-of-many' };
    const first = await add(user, keyed);
    const unkeyed = await add(user, { service, link: LINK, quantity: 1000 });
    expect(unkeyed.json.order).not.toBe(first.json.order);
    const replay = await add(user, keyed);
    expect(replay.json).toEqual({ order: first.json.order });
    await expectState(user, { balance: '98.20000', orders: 2, charges: 2 });
  });

  it('different keys are different orders', async () => {
    const user = await panel.customer('100');
    const a = await add(user, { service, link: LINK, quantity: 1000, request_id: 'key-a' });
    const b = await add(user, { service, link: LINK, quantity: 1000, request_id: 'key-b' });
    expect(a.json.order).not.toBe(b.json.order);
    await expectState(user, { balance: '98.20000', orders: 2, charges: 2 });
  });

  it('the same key with other parameters is refused and changes nothing', async () => {
    const user = await panel.customer('100');
    const params = { service, link: LINK, quantity: 1000, request_id: 'mismatch' };
    const first = await add(user, params);
    expect(first.json).toEqual({ order: expect.any(Number) });

    expect((await add(user, { ...params, quantity: 2000 })).text).toBe(MISMATCH);
    expect((await add(user, { ...params, link: `${LINK}x` })).text).toBe(MISMATCH);
    const otherService = await panel.createService({ rate: '0.90', min: 10, max: 10000 });
    expect((await add(user, { ...params, service: otherService })).text).toBe(MISMATCH);
    expect((await add(user, { ...params, runs: 2 })).text).toBe(MISMATCH);
    // Even a request that would itself be invalid: the key decides first.
    expect((await add(user, { ...params, quantity: 'abc' })).text).toBe(MISMATCH);

    await expectState(user, { balance: '99.10000', orders: 1, charges: 1 });
    // The original parameters still replay.
    expect((await add(user, params)).text).toBe(first.text);
  });

  it('the same key used by another user is independent', async () => {
    const alice = await panel.customer('100');
    const bob = await panel.customer('100');
    const params = { service, link: LINK, quantity: 1000, request_id: 'shared-key' };
    const fromAlice = await add(alice, params);
    const fromBob = await add(bob, params);
    expect(fromAlice.json).toEqual({ order: expect.any(Number) });
    expect(fromBob.json).toEqual({ order: expect.any(Number) });
    expect(fromBob.json.order).not.toBe(fromAlice.json.order);
    // Bob's order is his own: Alice cannot see it.
    const peek = await panel.api({ key: alice.apiKey, action: 'status', order: fromBob.json.order });
    expect(peek.text).toBe('{"error":"Incorrect order ID"}');
    // Each user's record replays their own order.
    expect((await add(alice, params)).text).toBe(fromAlice.text);
    expect((await add(bob, params)).text).toBe(fromBob.text);
    // Other parameters under Bob's key are checked against Bob's record only.
    expect((await add(bob, { ...params, quantity: 2000 })).text).toBe(MISMATCH);
    await expectState(alice, { balance: '99.10000', orders: 1, charges: 1 });
    await expectState(bob, { balance: '99.10000', orders: 1, charges: 1 });
  });

  it('a key of 64 characters is accepted; a longer one is Incorrect request_id and changes nothing', async () => {
    const user = await panel.customer('100');
    const longest = 'k'.repeat(64);
    const accepted = await add(user, { service, link: LINK, quantity: 1000, request_id: longest });
    expect(accepted.json).toEqual({ order: expect.any(Number) });
    expect((await add(user, { service, link: LINK, quantity: 1000, request_id: longest })).text).toBe(
      accepted.text,
    );

    const tooLong = await add(user, { service, link: LINK, quantity: 1000, request_id: 'k'.repeat(65) });
    expect(tooLong.text).toBe('{"error":"Incorrect request_id"}');
    const wayTooLong = await add(user, { service, link: LINK, quantity: 1000, request_id: 'x'.repeat(1000) });
    expect(wayTooLong.text).toBe('{"error":"Incorrect request_id"}');
    await expectState(user, { balance: '99.10000', orders: 1, charges: 1 });
    expect(await count(countKeysOf, user.id)).toBe(1);
  });

  it('an empty request_id is no key at all: each add is a new order', async () => {
    const user = await panel.customer('100');
    const a = await add(user, { service, link: LINK, quantity: 1000, request_id: '' });
    const b = await add(user, { service, link: LINK, quantity: 1000, request_id: '   ' });
    expect(a.json).toEqual({ order: expect.any(Number) });
    expect(b.json).toEqual({ order: expect.any(Number) });
    expect(a.json.order).not.toBe(b.json.order);
    await expectState(user, { balance: '98.20000', orders: 2, charges: 2 });
    expect(await count(countKeysOf, user.id)).toBe(0);
  });
});

describe('Idempotency-Key header', () => {
  it('works the same as request_id: replay, mismatch, length limit', async () => {
    const user = await panel.customer('100');
    const headers = { 'Idempotency-Key': 'header-key-1' };
    const params = { service, link: LINK, quantity: 1000 };
    const first = await add(user, params, { headers });
    expect(first.json).toEqual({ order: expect.any(Number) });
    for (const transport of TRANSPORTS) {
      expect((await add(user, params, { headers, transport })).text).toBe(first.text);
    }

    expect((await add(user, { ...params, quantity: 2000 }, { headers })).text).toBe(MISMATCH);
    const tooLong = await add(user, params, { headers: { 'Idempotency-Key': 'h'.repeat(65) } });
    expect(tooLong.text).toBe('{"error":"Incorrect request_id"}');
    await expectState(user, { balance: '99.10000', orders: 1, charges: 1 });
    expect(await count(countKeysOf, user.id)).toBe(1);
  });

  it('the header and request_id share one key space', async () => {
    const user = await panel.customer('100');
    const params = { service, link: LINK, quantity: 1000 };
    const viaHeader = await add(user, params, { headers: { 'Idempotency-Key': 'one-space' } });
    const viaParam = await add(user, { ...params, request_id: 'one-space' });
    expect(viaParam.text).toBe(viaHeader.text);
    await expectState(user, { balance: '99.10000', orders: 1, charges: 1 });
  });

  it('without the header each add is a new order', async () => {
    const user = await panel.customer('100');
    const params = { service, link: LINK, quantity: 1000 };
    const a = await add(user, params);
    const b = await add(user, params);
    expect(a.json.order).not.toBe(b.json.order);
    await expectState(user, { balance: '98.20000', orders: 2, charges: 2 });
  });
});

describe('the 24-hour window', () => {
  it('a key still replays 1ms before 24 hours, and creates a new order at 24h + 1ms', async () => {
    const user = await panel.customer('100');
    const params = { service, link: LINK, quantity: 1000, request_id: 'daily' };
    const first = await add(user, params);

    panel.clock.advance(DAY_MS - 1);
    expect((await add(user, params)).text).toBe(first.text);
    await expectState(user, { balance: '99.10000', orders: 1, charges: 1 });

    panel.clock.advance(2);
    const fresh = await add(user, params);
    expect(fresh.json).toEqual({ order: expect.any(Number) });
    expect(fresh.json.order).not.toBe(first.json.order);
    await expectState(user, { balance: '98.20000', orders: 2, charges: 2 });

    // The new record took the key over: it is the one that replays now.
    expect((await add(user, params)).text).toBe(fresh.text);
    expect(await count(countKeysOf, user.id)).toBe(1);
    await expectState(user, { balance: '98.20000', orders: 2, charges: 2 });
  });

  it('a key older than 24 hours is free again, even for other parameters', async () => {
    const user = await panel.customer('100');
    const first = await add(user, { service, link: LINK, quantity: 1000, request_id: 'stale' });
    panel.clock.advance(DAY_MS + 1);
    const other = await add(user, { service, link: LINK, quantity: 2000, request_id: 'stale' });
    expect(other.json).toEqual({ order: expect.any(Number) });
    expect(other.json.order).not.toBe(first.json.order);
    // 0.90000 + 1.80000
    await expectState(user, { balance: '97.30000', orders: 2, charges: 2 });
    // Now the key belongs to the second request.
    expect((await add(user, { service, link: LINK, quantity: 1000, request_id: 'stale' })).text).toBe(
      MISMATCH,
    );
  });
});

describe('concurrent replays', () => {
  it('20 concurrent adds with the same request_id: one order, one charge, the same answer for all', async () => {
    const user = await panel.customer('100');
    const answers = await concurrentAdds(user, 20, {
      service,
      link: LINK,
      quantity: 1000,
      request_id: 'burst',
    });
    expectAllJson(answers);
    expect(answers[0]!.json).toEqual({ order: expect.any(Number) });
    expect(answers.map((answer) => answer.text)).toEqual(Array(20).fill(answers[0]!.text));
    await expectState(user, { balance: '99.10000', orders: 1, charges: 1 });
    expect(await count(countKeysOf, user.id)).toBe(1);
    // And a later retry still gets it.
    expect((await add(user, { service, link: LINK, quantity: 1000, request_id: 'burst' })).text).toBe(
      answers[0]!.text,
    );
  });

  it('20 concurrent adds with the same Idempotency-Key header behave the same', async () => {
    const user = await panel.customer('100');
    const answers = await concurrentAdds(
      user,
      20,
      { service, link: LINK, quantity: 1000 },
      {
        'Idempotency-Key': 'burst-header',
      },
    );
    expectAllJson(answers);
    expect(answers[0]!.json).toEqual({ order: expect.any(Number) });
    expect(answers.map((answer) => answer.text)).toEqual(Array(20).fill(answers[0]!.text));
    await expectState(user, { balance: '99.10000', orders: 1, charges: 1 });
  });

  it('20 concurrent retries when the balance covers exactly one order: all get that order', async () => {
    const user = await panel.customer('0.9');
    const answers = await concurrentAdds(user, 20, {
      service,
      link: LINK,
      quantity: 1000,
      request_id: 'tight',
    });
    expectAllJson(answers);
    expect(answers[0]!.json).toEqual({ order: expect.any(Number) });
    expect(answers.map((answer) => answer.text)).toEqual(Array(20).fill(answers[0]!.text));
    await expectState(user, { balance: '0.00000', orders: 1, charges: 1 });
  });

  it('20 concurrent retries on a service forbidding duplicate links: all get the one order', async () => {
    const strict = await panel.createService({
      rate: '0.90',
      min: 10,
      max: 10000,
      allowDuplicateLinks: false,
    });
    const user = await panel.customer('100');
    const answers = await concurrentAdds(user, 20, {
      service: strict,
      link: 'https://instagram.com/p/IdemStrict',
      quantity: 1000,
      request_id: 'strict',
    });
    expectAllJson(answers);
    expect(answers[0]!.json).toEqual({ order: expect.any(Number) });
    expect(answers.map((answer) => answer.text)).toEqual(Array(20).fill(answers[0]!.text));
    await expectState(user, { balance: '99.10000', orders: 1, charges: 1 });
  });

  it('concurrent adds under one key with different parameters: one wins, the others are a mismatch', async () => {
    const user = await panel.customer('100');
    const answers = await Promise.all(
      [1000, 2000, 3000, 4000, 5000].map((quantity) =>
        panel.api({
          key: user.apiKey,
          action: 'add',
          service,
          link: LINK,
          quantity,
          request_id: 'race-params',
        }),
      ),
    );
    expectAllJson(answers);
    const winners = answers.filter((answer) => answer.text !== MISMATCH);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.json).toEqual({ order: expect.any(Number) });
    const status = await panel.api({ key: user.apiKey, action: 'status', order: winners[0]!.json.order });
    // The winner was charged 0.9 × its quantity / 1000, and nothing else was.
    const balanceAfter: Record<string, string> = {
      '0.90000': '99.10000',
      '1.80000': '98.20000',
      '2.70000': '97.30000',
      '3.60000': '96.40000',
      '4.50000': '95.50000',
    };
    expect(Object.keys(balanceAfter)).toContain(status.json.charge);
    await expectState(user, { balance: balanceAfter[status.json.charge as string]!, orders: 1, charges: 1 });
  });
});
