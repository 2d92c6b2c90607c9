import {
  type Queryable,
  apiKeyPrefix,
  dynamicSql,
  findLedgerMismatches,
  generateApiKey,
  hashApiKey,
  migrate,
  openDatabase,
  parseDatabaseUrl,
} from '@smmkit/server/bench-support';
import type { BenchDatabase } from './bench-database.js';
import { postgresSequenceResets } from './seed-sql.js';
import { SYNC_USER_ID, providerSeedStatements, resellerSeedStatements } from './sync-seed-sql.js';

type Statements = readonly { label: string; text: string }[];

/**
 * Seeds the provider's database: the reseller's account (with an API key, returned in clear) and
 * its orders. The provider is the real server afterwards, so this is a database it could have made.
 */
export async function seedProvider(
  target: BenchDatabase,
  orders: number,
  progress: (line: string) => void,
): Promise<{ apiKey: string }> {
  return seedWithApiKey(
    target,
    providerSeedStatements(target.dialect, orders, Date.now()),
    SYNC_USER_ID,
    progress,
  );
}

/**
 * Seeds a provider's database with `statements`, then gives `userId` (the reseller's account there)
 * an API key, returned in clear for the reseller's side.
 */
export async function seedWithApiKey(
  target: BenchDatabase,
  statements: Statements,
  userId: number,
  progress: (line: string) => void,
): Promise<{ apiKey: string }> {
  const apiKey = generateApiKey();
  await seed(target, statements, progress, async (tx) => {
    await tx.run(
      dynamicSql('INSERT INTO api_keys (user_id, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?)'),
      [userId, hashApiKey(apiKey), apiKeyPrefix(apiKey), Date.now()],
    );
  });
  return { apiKey };
}

/** Seeds the reseller's database: the provider at `url`, a customer and the orders in flight. */
export async function seedReseller(
  target: BenchDatabase,
  orders: number,
  provider: { url: string; apiKey: string },
  progress: (line: string) => void,
): Promise<void> {
  await seed(target, resellerSeedStatements(target.dialect, orders, provider, Date.now()), progress);
}

/**
 * Runs bulk seed statements in one transaction on a freshly migrated database (then `more`), and
 * checks every balance against its ledger. Shared with the dispatch benchmark's seeding.
 */
export async function seed(
  target: BenchDatabase,
  statements: Statements,
  progress: (line: string) => void,
  more?: (tx: Queryable) => Promise<void>,
): Promise<void> {
  const db = openDatabase(parseDatabaseUrl(target.url));
  try {
    await migrate(db, Date.now());
    await db.transaction(async (tx) => {
      if (tx.dialect === 'sqlite') await tx.run(dynamicSql('PRAGMA cache_size = -200000'));
      for (const { label, text } of statements) {
        const started = performance.now();
        const rows = await tx.run(dynamicSql(text));
        progress(`  seed: ${label} (${rows.toLocaleString('en-US')} rows) in ${seconds(started)} s`);
      }
      await more?.(tx);
    });
    if (db.dialect === 'postgres') {
      for (const text of [...postgresSequenceResets(), sequenceReset('providers')]) {
        await db.get(dynamicSql(text));
      }
      await db.run(dynamicSql('VACUUM ANALYZE users, providers, services, orders, ledger_entries'));
    }
    const mismatches = await findLedgerMismatches(db);
    if (mismatches.length > 0) {
      throw new Error(`seeded ${mismatches.length} balance(s) differing from their ledger sum`);
    }
  } finally {
    // SQLite: the last connection to close checkpoints the WAL, so the server starts on a plain file.
    await db.close();
  }
}

function sequenceReset(table: string): string {
  return `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT MAX(id) FROM ${table}))`;
}

const seconds = (started: number) => ((performance.now() - started) / 1000).toFixed(1);
