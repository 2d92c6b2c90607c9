import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Dialect } from '@smmkit/server/bench-support';

/** A fresh, empty database the benchmark owns and removes afterwards. */
export interface BenchDatabase {
  readonly dialect: Dialect;
  /** DATABASE_URL for the server, the ceiling servers and the seeder. */
  readonly url: string;
  /** The SQLite file, for the few steps that need a raw connection. */
  readonly sqliteFile: string | null;
  drop(): Promise<void>;
}

export async function createBenchDatabase(
  dialect: Dialect,
  postgresUrl: string,
  label: string,
): Promise<BenchDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `smmkit-bench-${label}-`));
    const file = join(dir, 'smmkit.db');
    return {
      dialect,
      url: file,
      sqliteFile: file,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const schema = `bench_${label}_${randomBytes(4).toString('hex')}`;
  await withClient(postgresUrl, (client) => client.query(`CREATE SCHEMA ${schema}`));
  // Every connection of the server's pool picks the schema up from the URL's startup options.
  const url = new URL(postgresUrl);
  url.searchParams.delete('options');
  const separator = url.search === '' ? '?' : '&';
  return {
    dialect,
    url: `${url.toString()}${separator}options=-c%20search_path%3D${schema}`,
    sqliteFile: null,
    drop: () => withClient(postgresUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
  };
}

async function withClient(url: string, fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot reach PostgreSQL at ${redact(url)} (${(error as Error).message}); pass --pg-url`);
  }
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  parsed.password = parsed.password === '' ? '' : '***';
  return parsed.toString();
}
