import type { ParseArgsConfig, parseArgs } from 'node:util';
import { type Context, systemClock } from '../app/context.js';
import { type Config, loadConfig, mailSettingsOf } from '../config.js';
import { type Failure, type Result, failureMessage } from '../domain/errors.js';
import type { Database } from '../store/database.js';
import { migrate } from '../store/migrations.js';
import { openDatabase } from '../store/open-database.js';
import { SqliteDatabase } from '../store/sqlite-database.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Command<O extends Options = Options> {
  /** Words after `smmkit`, e.g. "user create". */
  readonly name: string;
  readonly summary: string;
  /** Usage lines shown by --help, after the command name. */
  readonly usage: string;
  readonly options: O;
  /** Number of positional arguments the command takes (e.g. the id of `service update ID`). */
  readonly positionals?: number;
  run(args: ParsedArgs<O>, io: CommandIo): Promise<number>;
}

export interface ParsedArgs<O extends Options> {
  readonly values: ReturnType<
    typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>
  >['values'];
  readonly positionals: string[];
}

export interface CommandIo {
  readonly env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
}

/** Thrown for a usage mistake: printed to stderr with exit code 2, nothing changed. */
export class UsageError extends Error {}

export function defineCommand<O extends Options>(command: Command<O>): Command {
  return command;
}

export function printJson(io: CommandIo, value: unknown): void {
  io.out(JSON.stringify(value));
}

/** Prints a use case's result: the value as JSON (exit 0) or the failure on stderr (exit 1). */
export function printResult<T>(
  io: CommandIo,
  result: Result<T>,
  shape: (value: T) => unknown = (v) => v,
): number {
  if (!result.ok) return printFailure(io, result.failure);
  printJson(io, shape(result.value));
  return 0;
}

export function printFailure(io: CommandIo, failure: Failure): number {
  io.err(`error: ${failureMessage(failure)}`);
  return 1;
}

/** Opens the configured database, migrated: every command can run on a fresh file. */
export async function openMigrated(
  config: Config,
  options: { longRunning?: boolean } = {},
): Promise<Database> {
  const db = openDatabase(config.database, {
    sqliteSynchronous: config.sqliteSynchronous,
    maxConnections: config.databasePoolSize,
    sqliteCheckpointThread: options.longRunning ?? false,
    sqliteWriteThread: (options.longRunning ?? false) && config.sqliteWriteThread,
    sqliteWalCombine: config.sqliteWalCombine,
  });
  try {
    await migrate(db, systemClock.now());
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/** A long-running process's warning, should wal-combine have been asked for and be unavailable. */
export function warnIfWalCombineUnavailable(
  db: Database,
  log: { warn(details: object, message: string): void },
): void {
  if (db instanceof SqliteDatabase && db.walCombine.state === 'unavailable')
    log.warn(
      { reason: db.walCombine.reason },
      'SQLite: wal-combine is unavailable, the WAL is written as SQLite does',
    );
}

/** Runs `fn` with an owner's context on the configured database, closing it afterwards. */
export async function withCliContext(
  io: CommandIo,
  fn: (ctx: Context, config: Config) => Promise<number>,
): Promise<number> {
  const config = loadConfig(io.env);
  const db = await openMigrated(config);
  try {
    const ctx: Context = {
      db,
      clock: systemClock,
      actor: { kind: 'cli' },
      currency: config.currency,
      secrets: config.secrets,
      mail: mailSettingsOf(config),
    };
    return await fn(ctx, config);
  } finally {
    await db.close();
  }
}

export function requireString(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`--${flag} is required`);
  return value;
}

export function parseWholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value.trim())) throw new UsageError(`--${flag} must be a whole number`);
  return Number(value.trim());
}

export function parsePositionalId(value: string | undefined, what: string): number {
  if (value === undefined || !/^\d{1,15}$/.test(value) || Number(value) < 1) {
    throw new UsageError(
      `expected a ${what} id, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
    );
  }
  return Number(value);
}
