import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, sql } from '../../src/store/database.js';
import { scanStatusCounts } from '../../src/store/kept-totals-check.js';
import { migrate } from '../../src/store/migrations.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { readOrderStatusCounts } from '../../src/store/order-status-counts.js';
import { applyMigrationsBefore, insertOrderOwners } from '../support/migrations-before.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

/** 0024 on a panel with orders: the kept counts start from the orders already there (drip-feed runs aside). */
describe('migration 0024 (order status counts) on a panel with orders', () => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openDatabase(parseDatabaseUrl(database.url));
    await applyMigrationsBefore(db, '0024_order_status_counts');
    await db.transaction(async (tx) => {
      await insertOrderOwners(tx);
      const insertOrder = sql(
        `INSERT INTO orders (user_id, service_id, kind, parent_id, status, link, quantity, rate, charge, remains,
           created_at, updated_at) VALUES (1, 1, ?, ?, ?, 'https://x.test/p', 100, 100, 10, 100, 0, 0)`,
      );
      const rows: [string, number | null, string][] = [
        ['order', null, 'pending'],
        ['order', null, 'pending'],
        ['order', null, 'completed'],
        ['dripfeed', null, 'in_progress'],
        ['order', 4, 'completed'],
        ['order', 4, 'pending'],
        ['subscription', null, 'active'],
      ];
      for (const [kind, parent, status] of rows) await tx.run(insertOrder, [kind, parent, status]);
    });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('backfills the counts from the orders there, then keeps them as orders change', async () => {
    expect(await migrate(db, 1)).toContain('0024_order_status_counts');
    const grouped = async () =>
      (await db.all<{ kind: string; status: string; count: bigint }>(scanStatusCounts))
        .map((row) => `${row.kind}/${row.status}=${Number(row.count)}`)
        .sort();
    const kept = async () =>
      (await readOrderStatusCounts(db)).map((row) => `${row.kind}/${row.status}=${row.count}`).sort();
    expect(await kept()).toEqual([
      'dripfeed/in_progress=1',
      'order/completed=1',
      'order/pending=2',
      'subscription/active=1',
    ]);
    expect(await kept()).toEqual(await grouped());
    await db.run(sql("UPDATE orders SET status = 'canceled' WHERE id IN (1, 5)"));
    await db.run(sql('DELETE FROM orders WHERE id = 7'));
    expect(await kept()).toEqual(await grouped());
  });
});
