import { resolve } from 'node:path';
import type { Database } from './database.js';
import { PostgresDatabase } from './postgres-database.js';
import { SqliteDatabase, type SqliteSynchronous } from './sqlite-database.js';

export const DEFAULT_DATABASE_URL = './data/smmkit.db';

export type DatabaseTarget =
  | { readonly dialect: 'postgres'; readonly connectionString: string }
  | { readonly dialect: 'sqlite'; readonly filename: string };

/**
 * `postgres://…` or `postgresql://…` selects PostgreSQL; a `sqlite:` URL (`sqlite:./x.db`,
 * `sqlite:///abs/x.db`) or a plain file path selects SQLite.
 */
export function parseDatabaseUrl(url: string | undefined): DatabaseTarget {
  const value = url === undefined || url.trim() === '' ? DEFAULT_DATABASE_URL : url.trim();
  if (/^postgres(ql)?:\/\//i.test(value)) return { dialect: 'postgres', connectionString: value };
  if (/^sqlite:/i.test(value)) {
    const rest = value.slice('sqlite:'.length);
    if (rest === ':memory:') return { dialect: 'sqlite', filename: ':memory:' };
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    return { dialect: 'sqlite', filename: resolve(path) };
  }
  return { dialect: 'sqlite', filename: value === ':memory:' ? value : resolve(value) };
}

export interface OpenDatabaseOptions {
  readonly sqliteSynchronous?: SqliteSynchronous;
  readonly maxConnections?: number;
  /** SQLite: checkpoint the WAL on a thread of its own (long-running processes). */
  readonly sqliteCheckpointThread?: boolean;
  /** SQLite: write batches of plain orders on a thread of their own (long-running processes). */
  readonly sqliteWriteThread?: boolean;
  /** Tests: the write thread's compiled script, from the TypeScript sources. */
  readonly sqliteWriteThreadScript?: URL;
  /** SQLite: write the WAL through wal-combine (default on; see sqlite-wal-combine.ts). */
  readonly sqliteWalCombine?: boolean;
}

export function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Database {
  if (target.dialect === 'postgres') {
    return new PostgresDatabase({
      connectionString: target.connectionString,
      maxConnections: options.maxConnections,
    });
  }
  return new SqliteDatabase({
    filename: target.filename,
    synchronous: options.sqliteSynchronous,
    checkpointThread: options.sqliteCheckpointThread,
    writeThread: options.sqliteWriteThread,
    walCombine: options.sqliteWalCombine,
    ...(options.sqliteWriteThreadScript ? { writeThreadScript: options.sqliteWriteThreadScript } : {}),
  });
}

/** Shown in logs: the database without credentials. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.dialect === 'sqlite') return `sqlite:${target.filename}`;
  const url = new URL(target.connectionString);
  return `postgres://${url.host}${url.pathname}`;
}
