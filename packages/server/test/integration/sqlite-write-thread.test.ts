import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitNotDurable, sql } from '../../src/store/database.js';
import { findLedgerMismatches } from '../../src/store/ledger.js';
import { migrate } from '../../src/store/migrations.js';
import type { OrderBatchInput, OrderBatchOutput } from '../../src/store/order-batch.js';
import { SqliteDatabase } from '../../src/store/sqlite-database.js';
import { TEST_DIALECT, type TestDatabase, createTestDatabase } from '../support/test-database.js';
import { TestPanel } from '../support/test-panel.js';

/**
 * SQLite's write thread (store/sqlite-write-thread.ts, the compiled script: `npm test` builds
 * first): batches of plain `add`s written there are answered as on the event loop, a program that
 * fails keeps nothing and the thread goes on, and a thread that stops while it writes leaves its
 * orders neither answered nor placed again (whether it committed is unknown).
 */

const WRITE_THREAD = new URL('../../dist/store/sqlite-write-thread.js', import.meta.url);
/** A write thread that stops as soon as it is sent a transaction, before it answers. */
function stoppingThreadScript(dir: string): URL {
  const file = join(dir, 'stopping-write-thread.mjs');
  writeFileSync(
    file,
    "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n",
  );
  return pathToFileURL(file);
}
const NOT_ENOUGH_FUNDS = '{"error":"Not enough funds on balance"}';

const countOrders = sql('SELECT COUNT(*) AS count FROM orders');
const countEntries = sql('SELECT COUNT(*) AS count FROM ledger_entries');
const insertUser = sql(
  "INSERT INTO users (username, role, balance, created_at) VALUES ('thread-user', 'customer', 5000000, 0) RETURNING id",
);
const insertDeposit = sql(
  "INSERT INTO ledger_entries (user_id, amount, kind, entry_key, balance_after, created_at) VALUES (?, 5000000, 'deposit', 'thread-test', 5000000, 0)",
);

describe.runIf(TEST_DIALECT === 'sqlite')('SQLite write thread', () => {
  describe('adds over HTTP', () => {
    let panel: TestPanel;
    beforeAll(async () => {
      panel = await TestPanel.start({ writeThread: true });
    });
    afterAll(() => panel.close());

    it('a burst of adds is written there: each answer as in arrival order, the balance exact', async () => {
      const service = await panel.createService({ rate: '1.00', min: 10, max: 10000 });
      const users = await Promise.all(Array.from({ length: 4 }, () => panel.customer('5')));
      const answers = await Promise.all(
        users.flatMap((user, u) =>
          Array.from({ length: 8 }, (_, i) =>
            panel.api({
              key: user.apiKey,
              action: 'add',
              service,
              link: `https://x.com/t${u}-${i}`,
              quantity: 1000,
            }),
          ),
        ),
      );
      const ids = answers.flatMap((answer) =>
        answer.json.order === undefined ? [] : [answer.json.order as number],
      );
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);
      expect(
        answers.filter((answer) => answer.json.order === undefined).map((answer) => answer.text),
      ).toEqual(Array(12).fill(NOT_ENOUGH_FUNDS));
      for (const user of users) {
        const balance = await panel.api({ key: user.apiKey, action: 'balance' });
        expect(balance.json).toEqual({ balance: '0.00000', currency: 'USD' });
      }
      expect((panel.db as SqliteDatabase).writeThreadTransactions).toBeGreaterThan(0);
    });

    it.runIf(process.env.SMMKIT_TEST_WRITE_THREAD === '1')(
      'in the sqlite-write-thread project every test panel writes there',
      async () => {
        const plain = await TestPanel.start();
        try {
          const service = await plain.createService({ rate: '1.00', min: 10, max: 10000 });
          const user = await plain.customer('1');
          const answer = await plain.api({
            key: user.apiKey,
            action: 'add',
            service,
            link: 'https://x.com/p',
            quantity: 100,
          });
          expect(answer.json.order).toEqual(expect.any(Number));
          expect((plain.db as SqliteDatabase).writeThreadTransactions).toBe(1);
        } finally {
          await plain.close();
        }
      },
    );
  });

  describe('programs', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase('sqlite');
    });
    afterAll(() => database.drop());

    it('a program that fails keeps nothing, and the thread runs the next', async () => {
      const db = new SqliteDatabase({
        filename: database.url,
        writeThread: true,
        writeThreadScript: WRITE_THREAD,
      });
      try {
        await migrate(db, 0);
        expect(db.onWriteThread).toBeDefined();
        await expect(db.onWriteThread!('no-such-program', () => null)).rejects.toThrow(
          /no program no-such-program/,
        );

        const user = Number((await db.get<{ id: bigint }>(insertUser))!.id);
        await db.run(insertDeposit, [user]);
        const order = (serviceId: number, link: string) => ({
          order: {
            userId: user,
            serviceId,
            link,
            quantity: 100,
            details: '{}',
            rate: 1000n,
            charge: 100n,
            remains: 100,
            activeLink: link,
            providerId: null,
            providerServiceId: null,
            dispatchState: 'manual' as const,
          },
          caller: null,
          offer: null,
        });
        // No service 999: the orders' insert breaks on its foreign key, after the reads.
        const broken: OrderBatchInput = { items: [order(999, 'https://x.com/a')], now: 1 };
        await expect(db.onWriteThread!('order-batch', () => broken)).rejects.toThrow(/FOREIGN KEY/);
        expect(await db.get(countOrders)).toEqual({ count: 0n });
        expect(await db.get(countEntries)).toEqual({ count: 1n });

        await db.run(sql("INSERT INTO categories (name, created_at) VALUES ('c', 0)"));
        const service = await db.get<{ id: bigint }>(
          sql(
            "INSERT INTO services (category_id, name, type, rate, min_quantity, max_quantity, created_at, updated_at) VALUES (1, 's', 'Default', 1000, 10, 1000, 0, 0) RETURNING id",
          ),
        );
        const input: OrderBatchInput = {
          items: [
            order(Number(service!.id), 'https://x.com/b'),
            order(Number(service!.id), 'https://x.com/b'),
          ],
          now: 2,
        };
        const output = await db.onWriteThread!<OrderBatchInput, OrderBatchOutput>('order-batch', () => input);
        expect(output).toEqual({ outcomes: ['placed', 'duplicate-active-link'], ids: [expect.any(Number)] });
        expect(await db.get(countOrders)).toEqual({ count: 1n });
        expect(await db.get(sql('SELECT balance FROM users WHERE id = ?'), [user])).toEqual({
          balance: 4999900n,
        });
        expect(db.writeThreadTransactions).toBe(1);
        expect(await findLedgerMismatches(db)).toEqual([]);
      } finally {
        await db.close();
      }
    });

    it('a thread that stops while it writes: CommitNotDurable (never placed again), and the next starts another', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'smmkit-write-thread-'));
      const db = new SqliteDatabase({
        filename: database.url,
        writeThread: true,
        writeThreadScript: stoppingThreadScript(dir),
      });
      try {
        for (let i = 0; i < 2; i++) {
          const error: unknown = await db.onWriteThread!('order-batch', () => ({ items: [], now: 0 })).catch(
            (caught: unknown) => caught,
          );
          expect(error).toBeInstanceOf(CommitNotDurable);
          expect(String((error as CommitNotDurable).cause)).toMatch(/write thread stopped/);
        }
        // The loop's own transactions go on.
        expect(await db.run(sql("UPDATE users SET username = 'still' WHERE username = 'thread-user'"))).toBe(
          1,
        );
      } finally {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
