import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDueRuns } from '../../src/app/dripfeed/create-due-runs.js';
import { foldLedgerKindTotals } from '../../src/app/housekeeping/fold-ledger-kind-totals.js';
import { type Database, type Queryable, dynamicSql, sql } from '../../src/store/database.js';
import { ledgerKindTotalsAndScan, scanStoredStatusCounts } from '../../src/store/kept-totals-check.js';
import {
  foldLedgerKindTotals as foldStore,
  readLedgerKindTotals,
} from '../../src/store/ledger-kind-totals.js';
import { MIGRATIONS, migrate, renderMigration, splitStatements } from '../../src/store/migrations.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { heldTransaction } from '../support/held-transaction.js';
import { applyMigrationsBefore } from '../support/migrations-before.js';
import { Scrape } from '../support/prometheus.js';
import { TestPanel } from '../support/test-panel.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

const MIGRATION = '0029_ledger_kind_totals';
const IMMUTABLE = 'ledger entries are never changed or removed';

const insertUser = sql("INSERT INTO users (username, role, created_at) VALUES (?, 'customer', 0)");
const insertEntry = sql(
  `INSERT INTO ledger_entries (user_id, amount, kind, entry_key, balance_after, created_at)
   VALUES (1, ?, ?, ?, 0, 0)`,
);
const countChanges = sql('SELECT COUNT(*) AS n FROM ledger_kind_changes');
const selectMark = sql('SELECT through_id FROM ledger_kind_folded WHERE id = 1');
const selectEntries = sql('SELECT id, amount, kind FROM ledger_entries ORDER BY id');

/**
 * Issue 17 item 4: the ledger summed by kind is kept (migration 0029), so a metrics scrape at ten
 * million orders reads a few rows instead of 30M entries. Its oracle is the scan it replaced
 * (kept-totals-check.ts), which the suite's after-each check also compares after every test.
 */
describe('migration 0029 (ledger sums by kind) on a panel with entries', () => {
  let database: TestDatabase;
  let db: Database;
  let key = 0;
  const entry = (amount: bigint, kind: string) => db.run(insertEntry, [amount, kind, `e${++key}`]);
  const keptAndScanned = () => ledgerKindTotalsAndScan(db);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openDatabase(parseDatabaseUrl(database.url));
    await applyMigrationsBefore(db, MIGRATION);
    await db.run(insertUser, ['alice']);
    await entry(10_000_000n, 'deposit');
    await entry(2_500_000n, 'deposit');
    await entry(-1_234_567n, 'charge');
    await entry(-1n, 'charge');
    await entry(400_000n, 'refund');
    await entry(5n, 'adjustment');
    await entry(-5n, 'adjustment');
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('sums the entries already there, then keeps the sums as entries are added, folded or not', async () => {
    expect(await migrate(db, 1)).toContain(MIGRATION);
    const expected = new Map([
      ['deposit', 12_500_000n],
      ['charge', -1_234_568n],
      ['refund', 400_000n],
    ]);
    const kept = await readLedgerKindTotals(db);
    // Adjustments came to nothing: PostgreSQL's backfill leaves the kind out, SQLite's read shows 0.
    expect(kept.get('adjustment') ?? 0n).toBe(0n);
    kept.delete('adjustment');
    expect(kept).toEqual(expected);
    let [keptText, scanned] = await keptAndScanned();
    expect(keptText).toEqual(scanned);

    await entry(-777n, 'charge');
    await entry(3n, 'bonus');
    [keptText, scanned] = await keptAndScanned();
    expect(keptText).toEqual(scanned);
    expect(keptText.get('charge')).toBe('-1235345');

    // Folded: the same sums, nothing left to fold, and folding again changes nothing.
    expect(await foldStore(db)).toBeGreaterThan(0);
    if (db.dialect === 'sqlite') {
      const last = (await db.all<{ id: bigint }>(selectEntries)).at(-1)!.id;
      expect((await db.get<{ through_id: bigint }>(selectMark))?.through_id).toBe(last);
    } else {
      expect((await db.get<{ n: bigint }>(countChanges))?.n).toBe(0n);
    }
    [keptText, scanned] = await keptAndScanned();
    expect(keptText).toEqual(scanned);
    expect(await foldStore(db)).toBe(0);

    // Entries after the fold add up on top of it.
    await entry(99n, 'chargeback');
    await entry(-50n, 'affiliate_payout');
    await entry(1n, 'deposit');
    [keptText, scanned] = await keptAndScanned();
    expect(keptText).toEqual(scanned);
    expect(keptText.get('deposit')).toBe('12500001');
    await foldStore(db);
    [keptText, scanned] = await keptAndScanned();
    expect(keptText).toEqual(scanned);
  });

  it('refuses to change or remove an entry, and leaves every entry as it was', async () => {
    const before = await db.all(selectEntries);
    const attempts = [
      'UPDATE ledger_entries SET amount = amount + 1',
      "UPDATE ledger_entries SET kind = 'deposit' WHERE kind = 'charge'",
      'DELETE FROM ledger_entries WHERE id = 1',
      'DELETE FROM ledger_entries',
      ...(db.dialect === 'postgres' ? ['TRUNCATE ledger_entries'] : []),
    ];
    for (const text of attempts) {
      await expect(db.run(dynamicSql(text)), text).rejects.toThrow(IMMUTABLE);
    }
    expect(await db.all(selectEntries)).toEqual(before);
    const [kept, scanned] = await keptAndScanned();
    expect(kept).toEqual(scanned);
  });

  it('runs again after a crash half-way without counting anything twice', async () => {
    // A crash after some statements: `migrate` runs the whole script again (each statement is safe
    // to repeat) and the backfill finds nothing missing.
    await db.run(sql("DELETE FROM schema_migrations WHERE id = '0029_ledger_kind_totals'"));
    expect(await migrate(db, 2)).toEqual([MIGRATION]);
    const [kept, scanned] = await keptAndScanned();
    expect(kept).toEqual(scanned);
  });
});

describe.runIf(process.env.SMMKIT_TEST_DIALECT !== 'postgres')(
  'SQLite: the fold moves its mark in steps',
  () => {
    let database: TestDatabase;
    let db: Database;

    beforeAll(async () => {
      database = await createTestDatabase();
      db = openDatabase(parseDatabaseUrl(database.url));
      await migrate(db, 0);
      await db.run(insertUser, ['bob']);
    });
    afterAll(async () => {
      await db.close();
      await database.drop();
    });

    it('folds every entry in steps of at most `step` ids, each step its own transaction', async () => {
      for (let i = 1; i <= 7; i++)
        await db.run(insertEntry, [BigInt(i * 100), i % 2 === 0 ? 'charge' : 'deposit', `s${i}`]);
      // Each step commits on its own: a step that fails leaves the ones before it folded.
      const failing = sql(
        "CREATE TRIGGER fold_step_fails BEFORE UPDATE ON ledger_kind_folded WHEN NEW.through_id > 4 BEGIN SELECT RAISE(ABORT, 'step refused'); END",
      );
      await db.run(failing);
      await expect(foldStore(db, 2)).rejects.toThrow('step refused');
      expect((await db.get<{ through_id: bigint }>(selectMark))?.through_id).toBe(4n);
      let [kept, scanned] = await ledgerKindTotalsAndScan(db);
      expect(kept).toEqual(scanned);
      await db.run(sql('DROP TRIGGER fold_step_fails'));

      expect(await foldStore(db, 2)).toBe(3);
      expect((await db.get<{ through_id: bigint }>(selectMark))?.through_id).toBe(7n);
      expect(await readLedgerKindTotals(db)).toEqual(
        new Map([
          ['charge', 1_200n],
          ['deposit', 1_600n],
        ]),
      );
      [kept, scanned] = await ledgerKindTotalsAndScan(db);
      expect(kept).toEqual(scanned);
    });
  },
);

describe('ledger sums by kind and order counts in a running panel', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  it('stay exact while 8 customers add orders at once and folds run between their writes', async () => {
    const service = await panel.createService({ rate: '0.12345', cancel: true });
    const users = await Promise.all(Array.from({ length: 8 }, () => panel.customer('50')));
    let adding = true;
    let folds = 0;
    const folding = (async () => {
      while (adding) {
        await foldLedgerKindTotals(panel.ctx);
        folds++;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const answers = await Promise.all(
      users.flatMap((user, u) =>
        Array.from({ length: 12 }, (_, i) =>
          panel.api({
            key: user.apiKey,
            action: 'add',
            service,
            link: `https://x.test/${u}/${i}`,
            quantity: 100,
          }),
        ),
      ),
    );
    adding = false;
    await folding;
    expect(answers.every((answer) => /^\{"order":\d+\}$/.test(answer.text))).toBe(true);
    expect(folds).toBeGreaterThan(1);
    const [kept, scanned] = await ledgerKindTotalsAndScan(panel.db.background);
    expect(kept).toEqual(scanned);
    const charged = await panel.db.get<{ total: bigint }>(sql('SELECT SUM(charge) AS total FROM orders'));
    expect(kept.get('charge')).toBe(String(-BigInt(charged!.total)));
    expect(kept.get('deposit')).toBe(String(8n * 5_000_000n));
  });

  it("/metrics counts every order by status, drip-feed runs included, and sums the ledger's kinds", async () => {
    const user = await panel.customer('100');
    const drip = await panel.createService({ rate: '1', dripfeed: true });
    const placed = await panel.api({
      key: user.apiKey,
      action: 'add',
      service: drip,
      link: 'https://x.test/drip',
      quantity: 100,
      runs: 3,
      interval: 1,
    });
    expect(placed.text).toMatch(/^\{"order":\d+\}$/);
    panel.clock.advance(86_400_000);
    expect(await createDueRuns(panel.ctx)).toBe(1);
    const scrape = new Scrape(await (await fetch(`${panel.baseUrl}/metrics`)).text());
    const scanned = await panel.db.all<{ status: string; count: bigint }>(scanStoredStatusCounts);
    expect(scanned.reduce((sum, row) => sum + Number(row.count), 0)).toBe(96 + 2);
    for (const row of scanned) {
      expect(scrape.number('smmkit_orders', { status: row.status }), row.status).toBe(Number(row.count));
    }
    const [kept] = await ledgerKindTotalsAndScan(panel.db);
    for (const [kind, total] of kept) {
      const units = BigInt(scrape.value('smmkit_ledger_entries_sum', { kind }).replace('.', ''));
      expect(units, kind).toBe(BigInt(total));
    }
  });
});

describe.runIf(process.env.SMMKIT_TEST_DIALECT === 'postgres')(
  'PostgreSQL: migration 0029 beside writers',
  () => {
    const opened: { database: TestDatabase; db: Database }[] = [];
    /** A database before 0029 with 2,000 entries. */
    const before0029 = async (): Promise<Database> => {
      const database = await createTestDatabase();
      const db = openDatabase(parseDatabaseUrl(database.url));
      opened.push({ database, db });
      await applyMigrationsBefore(db, MIGRATION);
      await db.run(insertUser, ['carol']);
      for (let i = 0; i < 2_000; i++) {
        await db.run(insertEntry, [BigInt(i), i % 3 === 0 ? 'charge' : 'deposit', `b${i}`]);
      }
      return db;
    };
    afterAll(async () => {
      for (const { database, db } of opened) {
        await db.close();
        await database.drop();
      }
    });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const kinds = ['deposit', 'charge', 'refund', 'bonus'];
    let key = 0;
    const writeEntries = async (q: Queryable, n = 3) => {
      for (let j = 0; j < n; j++) {
        key++;
        await q.run(insertEntry, [BigInt(key), kinds[key % 4]!, `w${key}`]);
      }
    };
    /** A transaction that has written entries and commits only when released. */
    const heldWriter = (db: Database) => heldTransaction(db, (tx) => writeEntries(tx));
    const expectExact = async (db: Database) => {
      let [kept, scanned] = await ledgerKindTotalsAndScan(db);
      expect(kept).toEqual(scanned);
      await foldStore(db);
      [kept, scanned] = await ledgerKindTotalsAndScan(db);
      expect(kept).toEqual(scanned);
    };

    it('statement by statement: entries between each, one open across each trigger and the backfill, a fold before it', async () => {
      const db = await before0029();
      const migration = MIGRATIONS.find((m) => m.id === MIGRATION)!;
      expect(migration.outsideTransaction).toBe(true);
      for (const text of splitStatements(renderMigration(migration, 'postgres'))) {
        if (/^CREATE OR REPLACE TRIGGER/.test(text)) {
          // Its creation waits for a transaction that wrote before it; every later entry is its.
          const writer = heldWriter(db);
          await writer.wrote;
          const creating = db.run(dynamicSql(text));
          await sleep(50);
          writer.release();
          await Promise.all([writer.done, creating]);
        } else if (/^INSERT INTO ledger_kind_changes/.test(text)) {
          // Sums folded and not, entries committed since the trigger, and one the backfill's snapshot
          // does not see (it commits after): each counted once.
          await foldStore(db);
          await writeEntries(db);
          const writer = heldWriter(db);
          await writer.wrote;
          await db.run(dynamicSql(text));
          writer.release();
          await writer.done;
        } else {
          await db.run(dynamicSql(text));
        }
        await writeEntries(db);
      }
      await db.run(sql('INSERT INTO schema_migrations (id, applied_at) VALUES (?, 0)'), [MIGRATION]);
      await expectExact(db);
    });

    it('through migrate, with four writers (some pausing inside their transaction) and the folds running', async () => {
      const db = await before0029();
      let running = true;
      let written = 0;
      const writer = async (w: number) => {
        for (let i = 0; running; i++) {
          await db.transaction(async (tx) => {
            await writeEntries(tx, 2);
            if (i % 5 === w) await sleep(20);
            await writeEntries(tx, 1);
          });
          written++;
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      let folded = 0;
      const folds = (async () => {
        while (running) {
          try {
            await foldStore(db);
            folded++;
          } catch (error) {
            // Until the migration made the tables.
            if ((error as { code?: unknown }).code !== '42P01') throw error;
            await sleep(5);
          }
        }
      })();
      await sleep(100);
      expect(await migrate(db, 1)).toEqual([MIGRATION]);
      const atMigrated = written;
      await sleep(300);
      running = false;
      await Promise.all([...writers, folds]);
      expect(atMigrated).toBeGreaterThan(0);
      expect(written).toBeGreaterThan(atMigrated);
      expect(folded).toBeGreaterThan(0);
      await expectExact(db);
    });
  },
);
