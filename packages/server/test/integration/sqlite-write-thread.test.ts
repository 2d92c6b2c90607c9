import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhook } from '../../src/app/webhooks/create-webhook.js';
import { CommitNotDurable, sql } from '../../src/store/database.js';
import { findLedgerMismatches } from '../../src/store/ledger.js';
import { migrate } from '../../src/store/migrations.js';
import { type OrderBatchInput, type OrderBatchOutput, packBatchItems } from '../../src/store/order-batch.js';
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
const DIST_STORE = new URL('../../dist/store/', import.meta.url);

/** Writes a write-thread script into `dir` (tests of the thread's failures). */
function threadScript(dir: string, name: string, text: string): URL {
  const file = join(dir, name);
  writeFileSync(file, text);
  return pathToFileURL(file);
}

/** Runs `fn` with a database whose write thread runs `text`, then closes it and removes the script. */
async function withThreadScript(
  filename: string,
  text: string,
  fn: (db: SqliteDatabase) => Promise<void>,
): Promise<SqliteDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'smmkit-write-thread-'));
  const db = new SqliteDatabase({
    filename,
    writeThread: true,
    writeThreadScript: threadScript(dir, 'thread.mjs', text),
  });
  try {
    await fn(db);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return db;
}

/** The error a transaction sent to the thread ends with. */
function errorOfEmptyBatch(db: SqliteDatabase): Promise<unknown> {
  return db.onWriteThread!('order-batch', () => ({ items: [], now: 0 })).catch((caught: unknown) => caught);
}

/** Opens its connection, says so, then stops as soon as it is sent a transaction: it may have begun it. */
const STOPS_AFTER_READY = `import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from '${new URL('sqlite-database.js', DIST_STORE).href}';
openConnection(workerData.filename, workerData.synchronous, false);
parentPort.postMessage({ ready: true });
parentPort.on('message', () => process.exit(3));
`;

/** Never opens its connection: it stops at once (a module that fails to load, a file it cannot open). */
const NEVER_STARTS = "throw new Error('no connection for this thread');\n";

/** Runs the batch and commits it as the real thread does, then stops before it answers. */
const STOPS_AFTER_COMMIT = `import { parentPort, workerData } from 'node:worker_threads';
import { runOrderBatch } from '${new URL('order-batch.js', DIST_STORE).href}';
import { ConnectionQueries, StatementCache, openConnection } from '${new URL('sqlite-database.js', DIST_STORE).href}';
const connection = openConnection(workerData.filename, workerData.synchronous, false);
const queries = new ConnectionQueries(new StatementCache(connection));
parentPort.postMessage({ ready: true });
parentPort.on('message', async (request) => {
  connection.exec('BEGIN IMMEDIATE');
  const { commit } = await runOrderBatch(queries, request.input);
  connection.exec(commit ? 'COMMIT' : 'ROLLBACK');
  process.exit(4);
});
`;

/** Answers the transaction it is sent, as the real thread does (on its port, then counted), and stops at once. */
const ANSWERS_THEN_STOPS = `import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from '${new URL('sqlite-database.js', DIST_STORE).href}';
openConnection(workerData.filename, workerData.synchronous, false);
parentPort.postMessage({ ready: true });
parentPort.on('message', (request) => {
  workerData.answers.postMessage({ id: request.id, value: { outcomes: [], ids: [] } });
  Atomics.add(new Int32Array(workerData.answered), 0, 1);
  process.exit(5);
});
`;

/** Holds the event loop (no macrotask runs) for `ms`. */
function holdLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

/** Lets every pending microtask run, and no macrotask. */
async function microtasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

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
      panel = await TestPanel.start({ writeThread: true, allowPrivateUrls: true });
    });
    afterAll(() => panel.close());

    it('a charge that crosses balance.low: the thread hands the batch back, the loop writes it with its notice', async () => {
      const service = await panel.createService({ rate: '1.00', min: 10, max: 10000 });
      const user = await panel.customer('5');
      const hook = await createWebhook(panel.panel.ctx, panel.panel.urlPolicy, {
        userId: user.id,
        url: 'http://127.0.0.1:9/hook',
        events: ['balance.low'],
      });
      if (!hook.ok) throw new Error(hook.failure.code);
      await panel.db.run(sql('UPDATE users SET low_balance_threshold = 450000 WHERE id = ?'), [user.id]);
      const before = (panel.db as SqliteDatabase).writeThreadTransactions;
      const answer = await panel.api({
        key: user.apiKey,
        action: 'add',
        service,
        link: 'https://x.com/low',
        quantity: 1000,
      });
      expect(answer.json.order).toEqual(expect.any(Number));
      // The thread answered (nothing written: it cannot write the notice), and the loop wrote order and notice.
      expect((panel.db as SqliteDatabase).writeThreadTransactions).toBe(before + 1);
      const events = await panel.db.all<{ payload: string }>(
        sql("SELECT payload FROM webhook_deliveries WHERE endpoint_id = ? AND event_type = 'balance.low'"),
        [hook.value.id],
      );
      expect(events.map((event) => (JSON.parse(event.payload) as { data: unknown }).data)).toEqual([
        {
          balance: '4.00000',
          threshold: '4.50000',
          currency: 'USD',
          entry: `charge:${answer.json.order as number}`,
        },
      ]);
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

  describe('a thread that commits, then stops before it answers', () => {
    let dir: string;
    let panel: TestPanel;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'smmkit-write-thread-'));
      panel = await TestPanel.start({
        writeThreadScript: threadScript(dir, 'commits.mjs', STOPS_AFTER_COMMIT),
      });
    });
    afterAll(async () => {
      await panel.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('the client hears no order id, and the order is placed and charged once, never again', async () => {
      const service = await panel.createService({ rate: '1.00', min: 10, max: 10000 });
      const user = await panel.customer('5');
      const answer = await panel.api({
        key: user.apiKey,
        action: 'add',
        service,
        link: 'https://x.com/lost',
        quantity: 1000,
      });
      expect(answer.json.order).toBeUndefined();
      expect(answer.status).toBeGreaterThanOrEqual(500);
      const orders = await panel.db.all<{ id: bigint }>(sql('SELECT id FROM orders WHERE user_id = ?'), [
        user.id,
      ]);
      expect(orders).toHaveLength(1);
      const charges = await panel.db.all<{ order_id: bigint }>(
        sql("SELECT order_id FROM ledger_entries WHERE user_id = ? AND kind = 'charge'"),
        [user.id],
      );
      expect(charges).toEqual([{ order_id: orders[0]!.id }]);
      const balance = await panel.api({ key: user.apiKey, action: 'balance' });
      expect(balance.json).toEqual({ balance: '4.00000', currency: 'USD' });
    });
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
        const broken: OrderBatchInput = { items: packBatchItems([order(999, 'https://x.com/a')]), now: 1 };
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
          items: packBatchItems([
            order(Number(service!.id), 'https://x.com/b'),
            order(Number(service!.id), 'https://x.com/b'),
          ]),
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
      const db = await withThreadScript(database.url, STOPS_AFTER_READY, async (db) => {
        for (let i = 0; i < 2; i++) {
          const error = await errorOfEmptyBatch(db);
          expect(error).toBeInstanceOf(CommitNotDurable);
          expect(String((error as CommitNotDurable).cause)).toMatch(/write thread stopped: exit 3/);
        }
        // The loop's own transactions go on.
        expect(await db.run(sql("UPDATE users SET username = 'still' WHERE username = 'thread-user'"))).toBe(
          1,
        );
      });
      // Closed: no thread is offered, and none started.
      expect(db.onWriteThread).toBeUndefined();
    });

    it('a thread that cannot start has run nothing: a plain error, and after three the loop writes', async () => {
      await withThreadScript(database.url, NEVER_STARTS, async (db) => {
        for (let i = 0; i < 3; i++) {
          const error = await errorOfEmptyBatch(db);
          expect(error).not.toBeInstanceOf(CommitNotDurable);
          expect(String(error)).toMatch(/could not start: no connection for this thread/);
        }
        expect(db.onWriteThread).toBeUndefined();
      });
    });

    it('an answer the thread posted is taken between two requests, before the loop turns to its port', async () => {
      const db = new SqliteDatabase({
        filename: database.url,
        writeThread: true,
        writeThreadScript: WRITE_THREAD,
      });
      const empty = () => ({ items: packBatchItems([]), now: 0 });
      try {
        // The thread is started and ready.
        await db.onWriteThread!<OrderBatchInput, OrderBatchOutput>('order-batch', empty);
        for (const take of [true, false]) {
          const before = db.writeThreadTransactions;
          const answered = db.onWriteThread!<OrderBatchInput, OrderBatchOutput>('order-batch', empty);
          // The flush loop sends it at its turn (queued before this one).
          await new Promise((resolve) => setImmediate(resolve));
          if (take) {
            // No turn of the loop from here on: only the answer taken between two "requests" can settle it.
            const deadline = Date.now() + 10_000;
            while (db.writeThreadTransactions === before && Date.now() < deadline) {
              holdLoop(10);
              db.takeWriteThreadAnswers();
              await microtasks();
            }
            expect(db.writeThreadTransactions).toBe(before + 1);
          } else {
            // Long enough for the thread to have answered; without a turn of the loop, nothing is settled.
            holdLoop(300);
            await microtasks();
            expect(db.writeThreadTransactions).toBe(before);
          }
          await expect(answered).resolves.toEqual({ outcomes: [], ids: [] });
          expect(db.writeThreadTransactions).toBe(before + 1);
        }
        // Nothing more to take: a no-op.
        db.takeWriteThreadAnswers();
      } finally {
        await db.close();
      }
    });

    it('what the thread answered before it stopped is its answer, not a commit of unknown outcome', async () => {
      // One transaction a thread: a second one sent before the thread's exit is seen would meet a stopped thread.
      for (let i = 0; i < 3; i++)
        await withThreadScript(database.url, ANSWERS_THEN_STOPS, async (db) => {
          const answered = db.onWriteThread!<OrderBatchInput, OrderBatchOutput>('order-batch', () => ({
            items: packBatchItems([]),
            now: 0,
          }));
          // Sent at the flush loop's turn; then the loop is held while the thread starts, answers and
          // stops, so that its answer and its exit wait in the same turn (where 'exit' comes first).
          await new Promise((resolve) => setImmediate(resolve));
          holdLoop(1_000);
          await expect(answered).resolves.toEqual({ outcomes: [], ids: [] });
        });
    });

    it('close waits for a transaction queued on the thread', async () => {
      const db = new SqliteDatabase({
        filename: database.url,
        writeThread: true,
        writeThreadScript: WRITE_THREAD,
      });
      const queued = db.onWriteThread!<OrderBatchInput, OrderBatchOutput>('order-batch', () => ({
        items: [],
        now: 0,
      }));
      await db.close();
      await expect(queued).resolves.toEqual({ outcomes: [], ids: [] });
      expect(db.onWriteThread).toBeUndefined();
    });
  });
});
