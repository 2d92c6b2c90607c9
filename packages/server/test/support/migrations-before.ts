import { type Database, dynamicSql, sql } from '../../src/store/database.js';
import { MIGRATIONS, renderMigration, splitStatements } from '../../src/store/migrations.js';

/**
 * A database as a panel left it before migration `id`: the migrations before it applied as `migrate`
 * applies them (an `outsideTransaction` one statement by statement, the rest in a transaction) and
 * recorded, so that `migrate` then runs `id` and those after it.
 */
export async function applyMigrationsBefore(db: Database, id: string): Promise<void> {
  const before = MIGRATIONS.findIndex((migration) => migration.id === id);
  if (before === -1) throw new Error(`no migration ${id}`);
  await db.run(sql('CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)'));
  for (const migration of MIGRATIONS.slice(0, before)) {
    const statements = splitStatements(renderMigration(migration, db.dialect));
    if (migration.outsideTransaction === true) {
      for (const text of statements) await db.run(dynamicSql(text));
    } else {
      await db.transaction(async (tx) => {
        for (const text of statements) await tx.run(dynamicSql(text));
      });
    }
    await db.run(sql('INSERT INTO schema_migrations (id, applied_at) VALUES (?, 0)'), [migration.id]);
  }
}
