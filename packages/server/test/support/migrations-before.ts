import { type Database, type Queryable, dynamicSql, sql } from '../../src/store/database.js';
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

/** The raw rows an order needs on a database `applyMigrationsBefore` left: user 1, category 1, service 1. */
export async function insertOrderOwners(tx: Queryable): Promise<void> {
  await tx.run(sql("INSERT INTO users (username, role, created_at) VALUES ('alice', 'customer', 0)"));
  await tx.run(sql("INSERT INTO categories (name, created_at) VALUES ('Instagram', 0)"));
  await tx.run(
    sql(`INSERT INTO services (category_id, name, type, rate, min_quantity, max_quantity, created_at, updated_at)
         VALUES (1, 'Followers', 'Default', 100, 10, 1000, 0, 0)`),
  );
}
