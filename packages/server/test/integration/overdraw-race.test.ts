import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { type ApiResponse, TestPanel, type TestUser, type Transport } from '../support/test-panel.js';

/**
 * Concurrent `add`s over real HTTP against one balance: exactly as many succeed as the balance
 * covers, the rest are refused, the balance ends exact and never goes below zero, and a service
 * that forbids duplicate links takes a link once however many requests race for it.
 */

const JSON_TYPE = 'application/json; charset=utf-8';
const NOT_ENOUGH_FUNDS = '{"error":"Not enough funds on balance"}';
const DUPLICATE =
  '{"error":"You have active order with this link. Please wait until order being completed."}';
const TRANSPORTS: readonly Transport[] = ['form', 'json', 'multipart', 'get'];

const countOrdersOf = sql('SELECT COUNT(*) AS count FROM orders WHERE user_id = ?');
const countChargesOf = sql(
  "SELECT COUNT(*) AS count FROM ledger_entries WHERE user_id = ? AND kind = 'charge'",
);
const storedBalanceOf = sql('SELECT balance FROM users WHERE id = ?');
const lowestBalanceAfterOf = sql('SELECT MIN(balance_after) AS lowest FROM ledger_entries WHERE user_id = ?');
const orderIdsOf = sql('SELECT id FROM orders WHERE user_id = ? ORDER BY id');
const chargedOrderIdsOf = sql(
  "SELECT order_id FROM ledger_entries WHERE user_id = ? AND kind = 'charge' ORDER BY order_id",
);

let panel: TestPanel;

beforeAll(async () => {
  panel = await TestPanel.start();
});
afterAll(() => panel.close());

type Params = Record<string, string | number>;

async function scalar(statement: ReturnType<typeof sql>, userId: number, column: string): Promise<bigint> {
  const row = await panel.db.get<Record<string, bigint | number | null>>(statement, [userId]);
  return BigInt(row![column] ?? -1);
}

async function ids(statement: ReturnType<typeof sql>, userId: number, column: string): Promise<number[]> {
  const rows = await panel.db.all<Record<string, bigint | number>>(statement, [userId]);
  return rows.map((row) => Number(row[column]));
}

async function apiBalance(user: TestUser): Promise<string> {
  const response = await panel.api({ key: user.apiKey, action: 'balance' });
  expect(response.json).toEqual({ balance: expect.any(String), currency: 'USD' });
  return response.json.balance as string;
}

/** `n` adds sent at once over real HTTP, spread over the four transports. */
function raceAdds(user: TestUser, n: number, params: (i: number) => Params): Promise<ApiResponse[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      panel.api(
        { key: user.apiKey, action: 'add', ...params(i) },
        { transport: TRANSPORTS[i % TRANSPORTS.length] },
      ),
    ),
  );
}

interface RaceOutcome {
  readonly placed: number[];
  readonly refused: ApiResponse[];
}

function split(answers: readonly ApiResponse[]): RaceOutcome {
  for (const answer of answers) {
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe(JSON_TYPE);
  }
  return {
    placed: answers
      .filter((answer) => answer.json.order !== undefined)
      .map((answer) => answer.json.order as number),
    refused: answers.filter((answer) => answer.json.order === undefined),
  };
}

/** After a race: the exact balance, k orders each charged once, and never a negative balance on the way. */
async function expectAfterRace(
  user: TestUser,
  outcome: RaceOutcome,
  expected: { placed: number; balance: string; refusal: string },
) {
  expect(outcome.placed).toHaveLength(expected.placed);
  expect(new Set(outcome.placed).size).toBe(expected.placed);
  expect(outcome.refused.map((answer) => answer.text)).toEqual(
    Array(outcome.refused.length).fill(expected.refusal),
  );
  expect(await apiBalance(user)).toBe(expected.balance);
  const sorted = [...outcome.placed].sort((a, b) => a - b);
  expect(await ids(orderIdsOf, user.id, 'id')).toEqual(sorted);
  expect(await ids(chargedOrderIdsOf, user.id, 'order_id')).toEqual(sorted);
  expect(Number(await scalar(countOrdersOf, user.id, 'count'))).toBe(expected.placed);
  expect(Number(await scalar(countChargesOf, user.id, 'count'))).toBe(expected.placed);
  expect(await scalar(storedBalanceOf, user.id, 'balance')).toBeGreaterThanOrEqual(0n);
  expect(await scalar(lowestBalanceAfterOf, user.id, 'lowest')).toBeGreaterThanOrEqual(0n);
}

describe('overdraw race: 64 concurrent adds on one balance', () => {
  it('charge 1.00000 each, balance 10.00000: exactly 10 succeed, balance ends at 0.00000', async () => {
    const service = await panel.createService({ rate: '1.00', min: 10, max: 10000 });
    const user = await panel.customer('10');
    const answers = await raceAdds(user, 64, (i) => ({
      service,
      link: `https://instagram.com/p/race${i}`,
      quantity: 1000,
    }));
    const outcome = split(answers);
    await expectAfterRace(user, outcome, { placed: 10, balance: '0.00000', refusal: NOT_ENOUGH_FUNDS });
    expect(outcome.refused).toHaveLength(54);
    // Each placed order shows the exact charge.
    for (const order of outcome.placed) {
      const status = await panel.api({ key: user.apiKey, action: 'status', order });
      expect(status.json).toEqual({
        charge: '1.00000',
        start_count: '0',
        status: 'Pending',
        remains: '1000',
        currency: 'USD',
      });
    }
  });

  it('a balance that is not a multiple of the charge: 0.09593 each on 1.00000 → 10 succeed, 0.04070 left', async () => {
    // 12345 × 777 / 1000 = 9592.065 → 9593 units; 100000 = 10 × 9593 + 4070.
    const service = await panel.createService({ rate: '0.12345', min: 10, max: 10000 });
    const user = await panel.customer('1');
    const answers = await raceAdds(user, 64, () => ({
      service,
      link: 'https://instagram.com/p/same',
      quantity: 777,
    }));
    await expectAfterRace(user, split(answers), {
      placed: 10,
      balance: '0.04070',
      refusal: NOT_ENOUGH_FUNDS,
    });
  });

  it('0.70000 each on 5.00001 → 7 succeed, 0.10001 left', async () => {
    const service = await panel.createService({ rate: '0.7', min: 10, max: 10000 });
    const user = await panel.customer('5.00001');
    const answers = await raceAdds(user, 64, () => ({
      service,
      link: 'https://instagram.com/p/seven',
      quantity: 1000,
    }));
    await expectAfterRace(user, split(answers), { placed: 7, balance: '0.10001', refusal: NOT_ENOUGH_FUNDS });
  });

  it('one unit short of the first charge: none succeed, nothing moves', async () => {
    const service = await panel.createService({ rate: '1.00', min: 10, max: 10000 });
    const user = await panel.customer('0.99999');
    const answers = await raceAdds(user, 64, () => ({
      service,
      link: 'https://instagram.com/p/none',
      quantity: 1000,
    }));
    await expectAfterRace(user, split(answers), { placed: 0, balance: '0.99999', refusal: NOT_ENOUGH_FUNDS });
  });

  it('drip-feed orders race for the balance by their whole charge (runs × quantity)', async () => {
    // 90000 × (1000 × 3) / 1000 = 2.70000 each; 10.00000 = 3 × 2.7 + 1.9.
    const service = await panel.createService({ rate: '0.90', min: 10, max: 10000, dripfeed: true });
    const user = await panel.customer('10');
    const answers = await raceAdds(user, 64, () => ({
      service,
      link: 'https://instagram.com/p/drip',
      quantity: 1000,
      runs: 3,
      interval: 15,
    }));
    await expectAfterRace(user, split(answers), { placed: 3, balance: '1.90000', refusal: NOT_ENOUGH_FUNDS });
  });

  it('two users racing at once do not touch each other’s balance', async () => {
    const service = await panel.createService({ rate: '1.00', min: 10, max: 10000 });
    const alice = await panel.customer('5');
    const bob = await panel.customer('3');
    const [fromAlice, fromBob] = await Promise.all([
      raceAdds(alice, 32, () => ({ service, link: 'https://instagram.com/p/a', quantity: 1000 })),
      raceAdds(bob, 32, () => ({ service, link: 'https://instagram.com/p/b', quantity: 1000 })),
    ]);
    await expectAfterRace(alice, split(fromAlice), {
      placed: 5,
      balance: '0.00000',
      refusal: NOT_ENOUGH_FUNDS,
    });
    await expectAfterRace(bob, split(fromBob), { placed: 3, balance: '0.00000', refusal: NOT_ENOUGH_FUNDS });
  });
});

describe('duplicate-link race', () => {
  it('20 concurrent adds of the same link on a service forbidding duplicates: exactly one succeeds', async () => {
    const service = await panel.createService({
      rate: '0.90',
      min: 10,
      max: 10000,
      allowDuplicateLinks: false,
    });
    const user = await panel.customer('100');
    const answers = await raceAdds(user, 20, () => ({
      service,
      link: 'https://instagram.com/p/once',
      quantity: 1000,
    }));
    await expectAfterRace(user, split(answers), { placed: 1, balance: '99.10000', refusal: DUPLICATE });
  });

  it('the same race with a balance that covers only one: one order, the rest refused, exact balance', async () => {
    const service = await panel.createService({
      rate: '0.90',
      min: 10,
      max: 10000,
      allowDuplicateLinks: false,
    });
    const user = await panel.customer('0.9');
    const answers = await raceAdds(user, 20, () => ({
      service,
      link: 'https://instagram.com/p/tight',
      quantity: 1000,
    }));
    const outcome = split(answers);
    expect(outcome.placed).toHaveLength(1);
    // Whichever check a loser hit first, it is one of the two refusals and nothing else.
    for (const answer of outcome.refused) expect([DUPLICATE, NOT_ENOUGH_FUNDS]).toContain(answer.text);
    expect(outcome.refused).toHaveLength(19);
    expect(await apiBalance(user)).toBe('0.00000');
    expect(Number(await scalar(countOrdersOf, user.id, 'count'))).toBe(1);
    expect(Number(await scalar(countChargesOf, user.id, 'count'))).toBe(1);
  });

  it('20 concurrent adds of 20 different links on that service all succeed', async () => {
    const service = await panel.createService({
      rate: '0.90',
      min: 10,
      max: 10000,
      allowDuplicateLinks: false,
    });
    const user = await panel.customer('100');
    const answers = await raceAdds(user, 20, (i) => ({
      service,
      link: `https://instagram.com/p/many${i}`,
      quantity: 1000,
    }));
    // 100 - 20 × 0.9
    await expectAfterRace(user, split(answers), { placed: 20, balance: '82.00000', refusal: DUPLICATE });
  });
});
