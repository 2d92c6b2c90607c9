import { afterEach, describe, expect, it } from 'vitest';
import { type Database, dynamicSql, sql } from '../../src/store/database.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

const selectApplied = sql('SELECT id FROM schema_migrations ORDER BY id');
const STATUS_INDEX = '0025_orders_status_id';

/**
 * Issue 17 item 4: a migration marked `outsideTransaction` (0025, the orders (status, id) index)
 * runs CONCURRENTLY on PostgreSQL, outside a transaction, serialised across nodes; an index such a
 * build left invalid (a crash half-way) is built again on the next start. SQLite: as any migration.
 */
describe('migrations outside a transaction', () => {
  const opened: Database[] = [];
  let database: TestDatabase | null = null;
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
    await database?.drop();
    database = null;
  });
  const open = async () => {
    database ??= await createTestDatabase();
    const db = openDatabase(parseDatabaseUrl(database.url));
    opened.push(db);
    return db;
  };
  const indexesOnOrders = async (db: Database) =>
    (
      await db.all<{ name: string; valid: boolean }>(
        dynamicSql(
          `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
           WHERE t.relname = 'orders' AND t.relnamespace = current_schema()::regnamespace`,
        ),
      )
    ).map((row) => `${row.name}${row.valid ? '' : ' (invalid)'}`);

  it('applies every migration once, several nodes at once, the index built and the old one gone', async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    const results = await Promise.all([migrate(a, 1), migrate(b, 1), migrate(c, 1)]);
    expect(results.flat().sort()).toEqual(MIGRATIONS.map((m) => m.id).sort());
    expect((await a.all<{ id: string }>(selectApplied)).map((row) => row.id)).toEqual(
      MIGRATIONS.map((m) => m.id),
    );
    const indexes = a.dialect === 'postgres' ? await indexesOnOrders(a) : await sqliteIndexes(a);
    expect(indexes).toContain('orders_status_id');
    expect(indexes).not.toContain('orders_status');
    expect(indexes).toEqual(expect.arrayContaining(['orders_child', 'orders_child_run', 'orders_run_due']));
    for (const gone of ['orders_parent', 'orders_parent_run', 'orders_next_run'])
      expect(indexes).not.toContain(gone);
    expect(await migrate(a, 2)).toEqual([]);
  });

  it('builds an index a crashed CONCURRENTLY build left invalid again (PostgreSQL)', async () => {
    const db = await open();
    if (db.dialect !== 'postgres') return;
    await migrate(db, 1);
    // As a build killed half-way leaves it: the index there but invalid, the migration not recorded.
    await db.run(
      dynamicSql(
        `UPDATE pg_index SET indisvalid = false WHERE indexrelid = (SELECT c.oid FROM pg_class c
         WHERE c.relname = 'orders_status_id' AND c.relnamespace = current_schema()::regnamespace)`,
      ),
    );
    await db.run(dynamicSql('DELETE FROM schema_migrations WHERE id = ?'), [STATUS_INDEX]);
    expect(await indexesOnOrders(db)).toContain('orders_status_id (invalid)');
    expect(await migrate(db, 2)).toEqual([STATUS_INDEX]);
    const indexes = await indexesOnOrders(db);
    expect(indexes).toContain('orders_status_id');
    expect(indexes).not.toContain('orders_status_id (invalid)');
  });
});

async function sqliteIndexes(db: Database): Promise<string[]> {
  const rows = await db.all<{ name: string }>(
    dynamicSql("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders'"),
  );
  return rows.map((row) => row.name);
}
