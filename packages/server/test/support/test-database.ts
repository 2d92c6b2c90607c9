import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Dialect } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';
import { openDatabase } from '../../src/store/open-database.js';

export const TEST_DIALECT: Dialect = process.env.SMMKIT_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  /** A DATABASE_URL for this database, usable by the CLI too. */
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database: a file in a temporary folder, or a PostgreSQL schema of its own. */
export async function createTestDatabase(dialect: Dialect = TEST_DIALECT): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'smmkit-test-'));
    return {
      url: join(dir, 'smmkit.db'),
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const base = inject('postgresUrl');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

let sqliteTemplate: Promise<string> | undefined;

/** A SQLite file migrated once per test file (closed, so its WAL is folded in), to copy from. */
function migratedSqliteFile(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smmkit-template-'));
    const filename = join(dir, 'smmkit.db');
    const db = openDatabase({ dialect: 'sqlite', filename });
    await migrate(db, Date.now());
    await db.close();
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return filename;
  })();
  return sqliteTemplate;
}

/**
 * A fresh database with every migration applied, as test panels start on: a copy of a database
 * migrated once (a file copy for SQLite, CREATE DATABASE … TEMPLATE for PostgreSQL) rather than
 * each running every migration. Falls back to `createTestDatabase` where PostgreSQL has no template.
 */
export async function createMigratedTestDatabase(dialect: Dialect = TEST_DIALECT): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const template = await migratedSqliteFile();
    const database = await createTestDatabase('sqlite');
    copyFileSync(template, database.url);
    return database;
  }
  const template = inject('postgresTemplate');
  if (!template) return createTestDatabase('postgres');
  const base = inject('postgresUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop() {
      // DROP DATABASE waits for a checkpoint (seconds on a busy server): the test goes on meanwhile,
      // and the test file ends only once its databases are gone (settleDatabaseDrops).
      const dropping = (async () => {
        const client = new pg.Client({ connectionString: base });
        await client.connect();
        try {
          // FORCE: a process a test started (and killed) may not have let go of its connections yet.
          await client.query(`DROP DATABASE ${name} WITH (FORCE)`);
        } finally {
          await client.end();
        }
      })();
      dropping.catch(() => undefined); // reported by settleDatabaseDrops
      pendingDrops.push(dropping);
      return Promise.resolve();
    },
  };
}

let pendingDrops: Promise<void>[] = [];

/** Waits for the databases dropped in the background; fails when a drop failed. */
export async function settleDatabaseDrops(): Promise<void> {
  const drops = pendingDrops;
  pendingDrops = [];
  await Promise.all(drops);
}
