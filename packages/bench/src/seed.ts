import {
  type Database,
  type Queryable,
  type SqlValue,
  apiKeyPrefix,
  dynamicSql,
  findLedgerMismatches,
  foldLedgerKindTotals,
  foldOrderDayChanges,
  foldOrderStatusChanges,
  generateApiKey,
  hashApiKey,
  migrate,
  openDatabase,
  parseDatabaseUrl,
} from '@smmkit/server/bench-support';
import type { BenchDatabase } from './bench-database.js';
import type { SeedSizes } from './options.js';
import { postgresSequenceResets, seedStatements } from './seed-sql.js';

export interface SeededDatabase {
  readonly sizes: SeedSizes;
  /** API keys in clear, by user id - 1: only their hashes are in the database. */
  readonly keys: readonly string[];
  readonly seconds: number;
}

const KEY_BATCH = 500;

/**
 * Migrates a fresh database and fills it in one transaction, then checks that every balance
 * equals its ledger sum: the seeded panel must be one the server could have produced itself.
 */
export async function seedDatabase(
  target: BenchDatabase,
  sizes: SeedSizes,
  progress: (line: string) => void,
): Promise<SeededDatabase> {
  const started = performance.now();
  const db = openDatabase(parseDatabaseUrl(target.url));
  try {
    await migrate(db, Date.now());
    const keys = Array.from({ length: sizes.users }, () => generateApiKey());
    await db.transaction(async (tx) => {
      // The seed's index inserts are scattered (user, status, entry keys): a cache that holds them
      // all turns minutes of page spills into seconds. Only this connection's cache; it closes after.
      if (tx.dialect === 'sqlite') await tx.run(dynamicSql('PRAGMA cache_size = -1000000'));
      for (const { label, text } of seedStatements(tx.dialect, sizes, Date.now())) {
        await timed(progress, `${label}`, () => tx.run(dynamicSql(text)));
      }
      await timed(progress, 'api keys', () => insertApiKeys(tx, keys));
    });
    await timed(progress, 'fold order status counts', () => foldOrderStatusChanges(db));
    await timed(progress, 'fold order day totals', () => foldOrderDayChanges(db));
    await timed(progress, 'fold ledger sums by kind', () => foldLedgerKindTotals(db));
    if (db.dialect === 'postgres') await finishPostgres(db, progress);
    await timed(progress, 'ledger check', () => checkLedger(db));
    return { sizes, keys, seconds: (performance.now() - started) / 1000 };
  } finally {
    // On SQLite the last connection to close checkpoints the WAL into the file, so the server
    // starts on a plain database rather than a WAL as large as the seed.
    await timed(progress, 'close', () => db.close());
  }
}

async function timed<T>(progress: (line: string) => void, label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await fn();
  const rows = typeof value === 'number' ? ` (${value.toLocaleString('en-US')} rows)` : '';
  progress(`  seed: ${label}${rows} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return value;
}

async function insertApiKeys(tx: Queryable, keys: readonly string[]): Promise<number> {
  const now = Date.now();
  for (let start = 0; start < keys.length; start += KEY_BATCH) {
    const batch = keys.slice(start, start + KEY_BATCH);
    const params: SqlValue[] = batch.flatMap((key, i) => [
      start + i + 1,
      hashApiKey(key),
      apiKeyPrefix(key),
      now,
    ]);
    const values = batch.map(() => '(?, ?, ?, ?)').join(', ');
    await tx.run(
      dynamicSql(`INSERT INTO api_keys (user_id, key_hash, key_prefix, created_at) VALUES ${values}`),
      params,
    );
  }
  return keys.length;
}

/** Sequences past the explicit ids, and the statistics autovacuum would gather in a minute anyway. */
async function finishPostgres(db: Database, progress: (line: string) => void): Promise<void> {
  for (const text of postgresSequenceResets()) await db.get(dynamicSql(text));
  // Outside a transaction (VACUUM refuses one): `run` on PostgreSQL goes straight to the pool.
  await timed(progress, 'vacuum analyze', async () => {
    // The changes tables too: the folds left every seeded order's change behind as a dead row.
    const tables = [
      'users',
      'api_keys',
      'categories',
      'services',
      'orders',
      'ledger_entries',
      'order_status_changes',
      'order_day_changes',
      'order_day_totals',
      'ledger_kind_changes',
    ];
    await db.run(dynamicSql(`VACUUM ANALYZE ${tables.join(', ')}`));
  });
}

async function checkLedger(db: Database): Promise<void> {
  const mismatches = await findLedgerMismatches(db);
  if (mismatches.length > 0) {
    throw new Error(
      `seeded ${mismatches.length} balance(s) differing from their ledger sum, e.g. user ${mismatches[0]?.userId}`,
    );
  }
}
