import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlacedOrder, placeOrder } from '../../src/app/orders/place-order.js';
import { createWebhook } from '../../src/app/webhooks/create-webhook.js';
import type { Result } from '../../src/domain/errors.js';
import { dynamicSql, sql } from '../../src/store/database.js';
import { postLedgerEntry } from '../../src/store/ledger.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

/**
 * Plain `add`s arriving together (on SQLite: one batch, one transaction, multi-row writes; on
 * PostgreSQL: each its own transaction): every answer is the one the order would get alone in
 * arrival order, balances equal their ledger, and one order that breaks takes no other with it.
 */

const NOT_ENOUGH_FUNDS = '{"error":"Not enough funds on balance"}';
const DUPLICATE =
  '{"error":"You have active order with this link. Please wait until order being completed."}';
const INCORRECT_SERVICE = '{"error":"Incorrect service ID"}';

const orderRow = sql(
  'SELECT user_id, service_id, kind, status, link, quantity, charge, remains, active_link FROM orders WHERE id = ?',
);
const chargeOf = sql(
  "SELECT user_id, amount, entry_key, order_id, memo, balance_after FROM ledger_entries WHERE kind = 'charge' AND order_id = ?",
);
const balanceOf = sql('SELECT balance FROM users WHERE id = ?');
const ordersOf = sql('SELECT id FROM orders WHERE user_id = ? ORDER BY id');
const lowEventsOf = sql(
  "SELECT payload FROM webhook_deliveries WHERE endpoint_id = ? AND event_type = 'balance.low' ORDER BY id",
);
const chargeAfterOf = sql(
  "SELECT order_id FROM ledger_entries WHERE user_id = ? AND kind = 'charge' AND balance_after = ?",
);
const setThreshold = sql('UPDATE users SET low_balance_threshold = ? WHERE id = ?');
const SQLITE_FAULT = [
  `CREATE TRIGGER add_batch_boom BEFORE INSERT ON orders WHEN NEW.link = 'https://x.com/boom'
   BEGIN SELECT RAISE(ABORT, 'boom'); END`,
];
const SQLITE_UNDO = ['DROP TRIGGER add_batch_boom'];
const POSTGRES_FAULT = [
  `CREATE FUNCTION add_batch_boom() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN IF NEW.link = 'https://x.com/boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`,
  `CREATE TRIGGER add_batch_boom BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION add_batch_boom()`,
];
const POSTGRES_UNDO = ['DROP TRIGGER add_batch_boom ON orders', 'DROP FUNCTION add_batch_boom()'];

let panel: TestPanel;

beforeAll(async () => {
  panel = await TestPanel.start({ allowPrivateUrls: true });
});
afterAll(() => panel.close());

interface Add {
  readonly user: TestUser;
  readonly service: number;
  readonly link: string;
  readonly quantity: number;
}

/** All placed in the same turn of the event loop, in this order (as a batch forms under load). */
function placeTogether(adds: readonly Add[]): Promise<Result<PlacedOrder>>[] {
  return adds.map((add) =>
    placeOrder(panel.panel.contextFor({ userId: add.user.id }), {
      userId: add.user.id,
      params: { service: String(add.service), link: add.link, quantity: String(add.quantity) },
    }),
  );
}

/**
 * In arrival order: on SQLite all in one turn (one batch); on PostgreSQL one after the other, since
 * concurrent transactions there commit in any order (its races are overdraw-race.test.ts's).
 */
async function placeInArrivalOrder(adds: readonly Add[]): Promise<Result<PlacedOrder>[]> {
  if (panel.db.dialect === 'sqlite') return Promise.all(placeTogether(adds));
  const results: Result<PlacedOrder>[] = [];
  for (const add of adds) results.push(await placeTogether([add])[0]!);
  return results;
}

async function balance(user: TestUser): Promise<bigint> {
  return (await panel.db.get<{ balance: bigint }>(balanceOf, [user.id]))!.balance;
}

async function orderIdsOf(user: TestUser): Promise<number[]> {
  return (await panel.db.all<{ id: bigint }>(ordersOf, [user.id])).map((row) => Number(row.id));
}

describe('adds placed together', () => {
  it('mixed outcomes in one turn: each answer as in arrival order, exact balances and ledger', async () => {
    const open = await panel.createService({ rate: '1.00', min: 10, max: 10000 });
    const single = await panel.createService({
      rate: '1.00',
      min: 10,
      max: 10000,
      allowDuplicateLinks: false,
    });
    const ann = await panel.customer('3');
    const ben = await panel.customer('0.5');
    const cy = await panel.customer('10');
    // An order already active on the link-once service.
    const earlier = await placeTogether([
      { user: cy, service: single, link: 'https://x.com/held', quantity: 1000 },
    ])[0]!;
    expect(earlier.ok).toBe(true);

    const adds: (Add & { expect: string | null })[] = [
      { user: ann, service: open, link: 'https://x.com/a1', quantity: 1000, expect: null }, // 2.00 left
      { user: ann, service: single, link: 'https://x.com/new', quantity: 1000, expect: null }, // 1.00
      {
        user: ann,
        service: single,
        link: 'https://x.com/new',
        quantity: 1000,
        expect: 'DUPLICATE_ACTIVE_LINK',
      },
      { user: ben, service: open, link: 'https://x.com/b1', quantity: 1000, expect: 'NOT_ENOUGH_FUNDS' },
      { user: ann, service: open, link: 'https://x.com/a2', quantity: 1000, expect: null }, // 0.00
      { user: ann, service: open, link: 'https://x.com/a3', quantity: 1000, expect: 'NOT_ENOUGH_FUNDS' },
      {
        user: cy,
        service: single,
        link: 'https://x.com/held',
        quantity: 1000,
        expect: 'DUPLICATE_ACTIVE_LINK',
      },
      { user: cy, service: 987654321, link: 'https://x.com/c0', quantity: 1000, expect: 'INCORRECT_SERVICE' },
      { user: ben, service: open, link: 'https://x.com/b2', quantity: 500, expect: null }, // 0.00
      // The link is per service, whoever holds it.
      {
        user: cy,
        service: single,
        link: 'https://x.com/new',
        quantity: 1000,
        expect: 'DUPLICATE_ACTIVE_LINK',
      },
      { user: cy, service: open, link: 'https://x.com/c1', quantity: 2500, expect: null }, // 9.00 - 2.50
      { user: ben, service: open, link: 'https://x.com/b3', quantity: 10, expect: 'NOT_ENOUGH_FUNDS' },
    ];
    const results = await placeInArrivalOrder(adds);

    const placed: number[] = [];
    for (const [i, result] of results.entries()) {
      const wanted = adds[i]!.expect;
      if (wanted === null) {
        expect(result.ok, `add ${i}`).toBe(true);
        if (result.ok) placed.push(result.value.order);
      } else {
        expect(result.ok, `add ${i}`).toBe(false);
        if (!result.ok) expect(result.failure.code, `add ${i}`).toBe(wanted);
      }
    }
    expect(new Set(placed).size).toBe(5);
    // Ids follow the arrival order.
    expect([...placed].sort((a, b) => a - b)).toEqual(placed);

    expect(await balance(ann)).toBe(0n);
    expect(await balance(ben)).toBe(0n);
    expect(await balance(cy)).toBe(650_000n);
    expect(await orderIdsOf(ann)).toEqual([placed[0], placed[1], placed[2]]);
    expect(await orderIdsOf(ben)).toEqual([placed[3]]);
    expect(await orderIdsOf(cy)).toEqual([earlier.ok ? earlier.value.order : -1, placed[4]]);

    // Each order and its charge, as the per-order path writes them.
    const placedAdds = adds.filter((add) => add.expect === null);
    const balancesAfter = [200_000n, 100_000n, 0n, 0n, 650_000n];
    for (const [k, id] of placed.entries()) {
      const add = placedAdds[k]!;
      const charge = BigInt(add.quantity) * 100n;
      expect(await panel.db.get(orderRow, [id])).toEqual({
        user_id: BigInt(add.user.id),
        service_id: BigInt(add.service),
        kind: 'order',
        status: 'pending',
        link: add.link,
        quantity: BigInt(add.quantity),
        charge,
        remains: BigInt(add.quantity),
        active_link: add.service === single ? add.link : null,
      });
      expect(await panel.db.get(chargeOf, [id])).toEqual({
        user_id: BigInt(add.user.id),
        amount: -charge,
        entry_key: `charge:${id}`,
        order_id: BigInt(id),
        memo: null,
        balance_after: balancesAfter[k],
      });
    }

    // Over HTTP, answers carry the same strings as ever.
    const [dup, poor, unknown] = await Promise.all([
      panel.api({
        key: cy.apiKey,
        action: 'add',
        service: single,
        link: 'https://x.com/held',
        quantity: 1000,
      }),
      panel.api({ key: ann.apiKey, action: 'add', service: open, link: 'https://x.com/a4', quantity: 1000 }),
      panel.api({
        key: ben.apiKey,
        action: 'add',
        service: 987654321,
        link: 'https://x.com/b4',
        quantity: 1000,
      }),
    ]);
    expect([dup.text, poor.text, unknown.text]).toEqual([DUPLICATE, NOT_ENOUGH_FUNDS, INCORRECT_SERVICE]);
  });

  it('many users over HTTP at once: every id unique and stored, each balance exact', async () => {
    const service = await panel.createService({ rate: '1.00', min: 10, max: 10000 });
    const users = await Promise.all(Array.from({ length: 6 }, () => panel.customer('4')));
    const answers = await Promise.all(
      users.flatMap((user, u) =>
        Array.from({ length: 8 }, (_, i) =>
          panel.api({
            key: user.apiKey,
            action: 'add',
            service,
            link: `https://x.com/h${u}-${i}`,
            quantity: 1000,
          }),
        ),
      ),
    );
    const ids = answers
      .filter((answer) => answer.json.order !== undefined)
      .map((answer) => answer.json.order as number);
    const refused = answers.filter((answer) => answer.json.order === undefined).map((answer) => answer.text);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
    expect(refused).toEqual(Array(24).fill(NOT_ENOUGH_FUNDS));
    const stored: number[] = [];
    for (const user of users) {
      const own = await orderIdsOf(user);
      expect(own).toHaveLength(4);
      expect(await balance(user)).toBe(0n);
      stored.push(...own);
    }
    expect(stored.sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
  });

  it('a free order waits while a chargeback holds the balance below zero; others in the batch go through', async () => {
    const free = await panel.createService({ rate: '0', min: 10, max: 10000 });
    const owing = await panel.customer('1');
    const clear = await panel.customer('0');
    await panel.db.transaction((tx) =>
      postLedgerEntry(tx, {
        userId: owing.id,
        amount: -200_000n,
        kind: 'chargeback',
        entryKey: `chargeback:test-${owing.id}`,
        orderId: null,
        memo: null,
        now: panel.clock.now(),
      }),
    );
    const [refused, placed] = await placeInArrivalOrder([
      { user: owing, service: free, link: 'https://x.com/free1', quantity: 100 },
      { user: clear, service: free, link: 'https://x.com/free2', quantity: 100 },
    ]);
    expect(refused).toEqual({ ok: false, failure: { code: 'NOT_ENOUGH_FUNDS' } });
    expect(placed!.ok).toBe(true);
    expect(await balance(owing)).toBe(-100_000n);
    expect(await balance(clear)).toBe(0n);
  });

  it('balance.low fires once, for the charge of the batch that crossed the threshold', async () => {
    const service = await panel.createService({ rate: '1.00', min: 10, max: 10000 });
    const user = await panel.customer('5');
    const hook = await createWebhook(panel.panel.ctx, panel.panel.urlPolicy, {
      userId: user.id,
      url: 'http://127.0.0.1:9/hook',
      events: ['balance.low'],
    });
    if (!hook.ok) throw new Error(hook.failure.code);
    await panel.db.run(setThreshold, [300_000n, user.id]);
    const results = await Promise.all(
      placeTogether(
        Array.from({ length: 4 }, (_, i) => ({
          user,
          service,
          link: `https://x.com/low${i}`,
          quantity: 1000,
        })),
      ),
    );
    const ids = results.map((result) => (result.ok ? result.value.order : -1));
    expect(ids.every((id) => id > 0)).toBe(true);
    const events = await panel.db.all<{ payload: string }>(lowEventsOf, [hook.value.id]);
    // 5 → 4 → 3 (at the threshold) → 2 (crossed) → 1: the third charge to commit crossed it.
    const crossing = await panel.db.get<{ order_id: bigint }>(chargeAfterOf, [user.id, 200_000n]);
    expect(events.map((event) => (JSON.parse(event.payload) as { data: unknown }).data)).toEqual([
      { balance: '2.00000', threshold: '3.00000', currency: 'USD', entry: `charge:${crossing?.order_id}` },
    ]);
    // In one batch, the third to arrive.
    if (panel.db.dialect === 'sqlite') expect(Number(crossing?.order_id)).toBe(ids[2]);
  });

  it('an order that breaks in the batch fails alone: the others are placed and charged once', async () => {
    const service = await panel.createService({ rate: '1.00', min: 10, max: 10000 });
    const user = await panel.customer('10');
    // A fault in the database for one row: the batch's multi-row insert breaks on it, and each
    // order of the batch is then tried on its own.
    for (const statement of panel.db.dialect === 'sqlite' ? SQLITE_FAULT : POSTGRES_FAULT)
      await panel.db.run(dynamicSql(statement));
    try {
      const settled = await Promise.allSettled(
        placeTogether([
          { user, service, link: 'https://x.com/k1', quantity: 1000 },
          { user, service, link: 'https://x.com/boom', quantity: 1000 },
          { user, service, link: 'https://x.com/k2', quantity: 1000 },
        ]),
      );
      const [first, broken, third] = settled;
      expect(first).toMatchObject({ status: 'fulfilled', value: { ok: true } });
      expect(broken).toMatchObject({ status: 'rejected' });
      expect(third).toMatchObject({ status: 'fulfilled', value: { ok: true } });
      const ids = [first, third].map((result) =>
        result?.status === 'fulfilled' && result.value.ok ? result.value.value.order : -1,
      );
      expect(await orderIdsOf(user)).toEqual(ids.sort((a, b) => a - b));
      expect(await balance(user)).toBe(800_000n);
    } finally {
      for (const statement of panel.db.dialect === 'sqlite' ? SQLITE_UNDO : POSTGRES_UNDO)
        await panel.db.run(dynamicSql(statement));
    }
  });
});
