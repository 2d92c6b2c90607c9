import { type Database, openDatabase, parseDatabaseUrl } from '@smmkit/server/bench-support';
import type { BenchDatabase } from './bench-database.js';
import type { SeedSizes } from './options.js';
import { type RequestBodies, buildRequestBodies } from './request-bodies.js';
import { type SeededDatabase, seedDatabase } from './seed.js';

/** Opens a benchmark database through the server's own store, for the steps around the runs. */
export async function withDatabase<T>(db: BenchDatabase, fn: (q: Database) => Promise<T>): Promise<T> {
  const database = openDatabase(parseDatabaseUrl(db.url));
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** Seeds a fresh database and picks the request bodies the load will send to it. */
export async function prepareDatabase(
  db: BenchDatabase,
  sizes: SeedSizes,
  progress: (line: string) => void,
): Promise<{ seeded: SeededDatabase; bodies: RequestBodies }> {
  progress(`seeding ${db.dialect}: ${sizes.orders.toLocaleString('en-US')} orders…`);
  const seeded = await seedDatabase(db, sizes, progress);
  progress(`  seeded in ${seeded.seconds.toFixed(1)} s`);
  const bodies = await withDatabase(db, (q) => buildRequestBodies(q, seeded));
  return { seeded, bodies };
}
