import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type Queryable, dynamicSql, sql } from '../../src/store/database.js';
import { claimDueDripfeeds, findDripfeedRuns, insertDripfeedRun } from '../../src/store/dripfeed.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { applyMigrationsBefore, insertOrderOwners } from '../support/migrations-before.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

const PARTIAL = '0027_orders_partial_child_indexes';
const NOW = 1_764_000_000_000;

const insertOrder = sql(
  `INSERT INTO orders (user_id, service_id, kind, parent_id, run_number, status, link, quantity, runs,
     interval_minutes, rate, charge, remains, next_run_at, created_at, updated_at)
   VALUES (1, 1, ?, ?, ?, 'pending', 'https://x.test/p', 100, ?, ?, 100, 0, 100, ?, ?, ?) RETURNING id`,
);
interface RawOrder {
  kind?: 'order' | 'dripfeed' | 'subscription';
  parent?: number;
  run?: number;
  runs?: number;
  nextRunAt?: number;
}
async function insert(q: Queryable, order: RawOrder = {}): Promise<number> {
  const row = await q.get<{ id: bigint }>(insertOrder, [
    order.kind ?? 'order',
    order.parent ?? null,
    order.run ?? null,
    order.runs ?? null,
    order.runs === undefined ? null : 5,
    order.nextRunAt ?? null,
    NOW,
    NOW,
  ]);
  return Number(row!.id);
}

/** Each index of the orders table with its definition, by name. */
async function orderIndexes(db: Database): Promise<Map<string, string>> {
  const rows = await db.all<{ name: string; definition: string | null }>(
    dynamicSql(
      db.dialect === 'postgres'
        ? `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
           WHERE tablename = 'orders' AND schemaname = current_schema()`
        : "SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders'",
    ),
  );
  return new Map(rows.map((row) => [row.name, row.definition ?? '']));
}

/**
 * How many entries an index holds: SQLite counts its leaf cells; PostgreSQL's ANALYZE, sampling every
 * row of a table this small, counts the rows a partial index's predicate admits.
 */
async function indexEntries(db: Database, name: string): Promise<number> {
  if (db.dialect === 'postgres') {
    await db.run(dynamicSql('ANALYZE orders'));
    const row = await db.get<{ entries: bigint }>(
      dynamicSql(
        `SELECT reltuples::bigint AS entries FROM pg_class
         WHERE relname = ? AND relnamespace = current_schema()::regnamespace`,
      ),
      [name],
    );
    return Number(row!.entries);
  }
  const row = await db.get<{ entries: bigint | null }>(
    dynamicSql("SELECT SUM(ncell) AS entries FROM dbstat WHERE name = ? AND pagetype = 'leaf'"),
    [name],
  );
  return Number(row!.entries ?? 0n);
}

/**
 * Issue 17 item 5: migration 0027 makes the orders table's (parent_id), (parent_id, run_number) and
 * (next_run_at) indexes partial, so a plain order (neither a child nor a drip-feed parent with a run
 * due) is in none of them, while every run, post and due parent is still found through them and a
 * run still cannot be created twice.
 */
describe('migration 0027 (partial child and run indexes)', () => {
  let database: TestDatabase;
  let db: Database;
  let drip: number;
  let subscription: number;
  const before = MIGRATIONS.findIndex((migration) => migration.id === PARTIAL);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openDatabase(parseDatabaseUrl(database.url));
    await applyMigrationsBefore(db, PARTIAL);
    await db.transaction(async (tx) => {
      await insertOrderOwners(tx);
      for (let i = 0; i < 20; i++) await insert(tx);
      drip = await insert(tx, { kind: 'dripfeed', runs: 5, nextRunAt: NOW - 1 });
      await insert(tx, { parent: drip, run: 1 });
      await insert(tx, { parent: drip, run: 2 });
      subscription = await insert(tx, { kind: 'subscription' });
      await insert(tx, { parent: subscription, run: 1 });
      for (let i = 0; i < 20; i++) await insert(tx);
    });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('replaces the three full indexes with partial ones that hold the children and the due parent only', async () => {
    expect(await indexEntries(db, 'orders_parent')).toBe(45);
    expect(await migrate(db, 1)).toEqual([PARTIAL, ...MIGRATIONS.slice(before + 1).map((m) => m.id)]);
    const indexes = await orderIndexes(db);
    for (const gone of ['orders_parent', 'orders_parent_run', 'orders_next_run'])
      expect(indexes.has(gone)).toBe(false);
    expect(indexes.get('orders_child')).toMatch(/WHERE \(?parent_id IS NOT NULL\)?$/);
    expect(indexes.get('orders_child_run')).toMatch(
      /^CREATE UNIQUE INDEX .*WHERE \(?parent_id IS NOT NULL\)?$/,
    );
    expect(indexes.get('orders_run_due')).toMatch(/WHERE \(?next_run_at IS NOT NULL\)?$/);
    // 40 plain orders, a drip-feed parent, a subscription and three children.
    expect(await indexEntries(db, 'orders_child')).toBe(3);
    expect(await indexEntries(db, 'orders_child_run')).toBe(3);
    expect(await indexEntries(db, 'orders_run_due')).toBe(1);
  });

  it('still finds every run, post and due parent, and still creates a run once only', async () => {
    expect((await findDripfeedRuns(db, drip)).map((run) => run.runNumber)).toEqual([1, 2]);
    expect(
      await db.transaction(async (tx) => (await claimDueDripfeeds(tx, NOW, 10)).map((due) => due.id)),
    ).toEqual([drip]);
    // The partial unique index is the run insert's conflict target: run 2 again is nothing, run 3 is new.
    expect(await insertDripfeedRun(db, drip, 2, NOW)).toBeNull();
    const third = await insertDripfeedRun(db, drip, 3, NOW);
    expect(third).not.toBeNull();
    expect((await findDripfeedRuns(db, drip)).map((run) => [run.id, run.runNumber]).at(-1)).toEqual([
      third,
      3,
    ]);
    // Any other writer of a duplicate run is refused by the index itself.
    await expect(insert(db, { parent: subscription, run: 1 })).rejects.toThrow(/unique|UNIQUE/);
    // Plain orders share the NULL (parent_id, run_number) as before.
    await insert(db);
    await insert(db);
    expect(await indexEntries(db, 'orders_child_run')).toBe(4);
    expect(await migrate(db, 2)).toEqual([]);
  });
});
