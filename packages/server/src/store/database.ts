/**
 * The one query layer over SQLite and PostgreSQL. SQL is written once with `?` placeholders
 * (and per-dialect text where the dialects differ); each statement is prepared once per
 * connection (SQLite) or sent as a named prepared statement (PostgreSQL), keeping hot API paths
 * off any query builder.
 *
 * Integers come back as `bigint` on both dialects. Each store module turns its rows into records
 * (camelCase, ids and counts as numbers, money as `bigint`, statuses as the domain's types) with one
 * mapper per row shape, next to the SQL that reads it: nothing above the store sees a raw row.
 */
import type { Eager } from '../domain/eager.js';

export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | boolean | null;

export interface Statement {
  /** Stable name, used for PostgreSQL named prepared statements; null for one-off dynamic SQL. */
  readonly name: string | null;
  readonly sqlite: string;
  readonly postgres: string;
  /**
   * Rows come back as arrays of the selected columns' values, in select order, instead of objects
   * keyed by column name (better-sqlite3's raw mode, pg's `rowMode: 'array'`). For the hottest
   * reads: building an object of 16 named columns per row cost ~3 us of a ~50 us `status`.
   */
  readonly values?: true;
}

let statementCounter = 0;

function toPostgresPlaceholders(text: string): string {
  let index = 0;
  return text.replace(/\?/g, () => `$${++index}`);
}

/** A statement whose text is the same on both dialects. Create at module load: it is prepared once. */
export function sql(text: string): Statement {
  return { name: `smmkit_${++statementCounter}`, sqlite: text, postgres: toPostgresPlaceholders(text) };
}

/** As `sql`, its rows read as arrays of values (see `Statement.values`). */
export function sqlValues(text: string): Statement {
  return { ...sql(text), values: true };
}

/** A statement whose text differs by dialect (both with `?` placeholders). */
export function sqlByDialect(text: { sqlite: string; postgres: string }): Statement {
  return {
    name: `smmkit_${++statementCounter}`,
    sqlite: text.sqlite,
    postgres: toPostgresPlaceholders(text.postgres),
  };
}

/**
 * A claim: `update` is an UPDATE whose WHERE holds `id IN (%PICK%)`, `pick` the SELECT (with its
 * LIMIT) of the rows it takes, and `lock` PostgreSQL's locking clause for them (`FOR UPDATE SKIP
 * LOCKED`, `FOR UPDATE OF o SKIP LOCKED`…). SQLite runs an uncorrelated `IN (SELECT …)` once.
 * PostgreSQL takes the pick as `id = ANY(ARRAY(…))`, an InitPlan, which also runs once: written as
 * `id IN (…)`, the planner may put the pick on the inner side of a nested-loop semi-join and run it
 * again for each row of the outer scan (it does when the table's statistics were taken while it was
 * nearly empty), and each run skips the rows the runs before it locked, so the claim takes every
 * due row whatever its LIMIT. That was seen: a sync claim of 100 took all 250 orders in flight and
 * asked the provider about them in one status request, which it refused.
 */
export function claimByDialect(update: string, pick: string, lock: string): Statement {
  const slot = 'id IN (%PICK%)';
  if (!update.includes(slot)) throw new Error(`a claim's UPDATE must select its rows with ${slot}`);
  return sqlByDialect({
    sqlite: update.replace('%PICK%', pick),
    postgres: update.replace(slot, `id = ANY(ARRAY(${pick} ${lock}))`),
  });
}

/** As `sqlByDialect`, its rows read as arrays of values (see `Statement.values`). */
export function sqlValuesByDialect(text: { sqlite: string; postgres: string }): Statement {
  return { ...sqlByDialect(text), values: true };
}

/** Dynamic SQL built per call (admin listings with optional filters): not kept as a prepared statement. */
export function dynamicSql(text: string): Statement {
  return { name: null, sqlite: text, postgres: toPostgresPlaceholders(text) };
}

export interface Queryable {
  readonly dialect: Dialect;
  all<T>(statement: Statement, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(statement: Statement, params?: readonly SqlValue[]): Promise<T | undefined>;
  /**
   * `get` answered at once where the connection reads synchronously (SQLite, outside the
   * background thread): the row itself, or the promise `get` returns. For the reads every API
   * request makes, which then cost no promise and no turn of the microtask queue on SQLite; the
   * caller takes both forms (see `thenEager`). A failed read throws instead of rejecting.
   */
  getEager<T>(statement: Statement, params?: readonly SqlValue[]): Eager<T | undefined>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(statement: Statement, params?: readonly SqlValue[]): Promise<number>;
  /**
   * PostgreSQL only: `NOTIFY channel`. In a transaction it is sent on commit and dropped on
   * rollback; every process LISTENing on the database hears it, and this process's own
   * listeners on the database hear it as soon as the commit has returned (before the
   * transaction's promise resolves), so a process reads its own writes. Absent on SQLite.
   */
  notify?(channel: string): Promise<void>;
}

/** What a channel listener reports (see `Database.listen`). */
export interface ChannelEvents {
  /** A notification on the channel, from any process (this one included). */
  notified(): void;
  /** LISTEN is in place: from now on every committed notification is heard. */
  listening(): void;
  /** The listening connection is gone (or could not be opened): notifications may be missed until `listening`. */
  lost(error?: unknown): void;
}

export interface ChannelListener {
  /** The server process id of the listening connection while it is up (for diagnostics and tests). */
  readonly backendPid: number | null;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** First wait before reconnecting after the connection is lost; doubled per failure, up to 5 s. */
  readonly retryMs?: number;
}

export interface Database extends Queryable {
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * On SQLite, transactions that arrive together share one commit (one fsync) while each keeps
   * its own savepoint, so one failing never undoes another.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: LISTENs on `channel` on a dedicated connection, reconnecting (and
   * reporting `lost`, then `listening` again) whenever that connection is cut. Absent on SQLite.
   */
  listen?(channel: string, events: ChannelEvents, options?: ListenOptions): ChannelListener;
  /**
   * Reads that never run on the event loop, for long aggregates (metrics scrapes, dashboards): on
   * SQLite, whose reads are synchronous, a thread of its own with a read-only connection; on
   * PostgreSQL the database itself (its reads wait on the server, not on this process's loop).
   * Read-only: `run` refuses.
   */
  readonly background: Queryable;
  /**
   * PostgreSQL only: runs `fn` on one connection of its own, outside any transaction (each
   * statement commits alone), for what a transaction refuses (`CREATE INDEX CONCURRENTLY`) or
   * what must hold a session's advisory lock. Absent on SQLite.
   */
  session?<T>(fn: (conn: Queryable) => Promise<T>): Promise<T>;
  /**
   * SQLite at `synchronous=FULL`: the failed WAL sync after which no commit is answered as durable
   * (every write fails with `CommitNotDurable` until a restart); null while there has been none.
   * Absent on PostgreSQL, whose server stops itself on such a failure.
   */
  readonly durabilityLost?: Error | null;
  /**
   * SQLite only: runs `fn`, and the reads it makes synchronously share one read transaction (one
   * snapshot, opened at the first of them and closed when `fn` returns), instead of one each. A
   * read transaction of its own costs SQLite a WAL read lock taken and released and a file size
   * read (three system calls), and costs the answer nothing it shows: the snapshot is the database
   * as of its first read. For requests that had all arrived before `fn` ran (see
   * `http/api-v2/answer-turn.ts`): each of them still sees every commit made before it arrived. A
   * call made inside another shares the outer one's transaction (and so only its guarantee). Absent
   * on PostgreSQL, whose reads wait on the server anyway, and on an in-memory SQLite database, whose
   * reader is its writer.
   */
  readonly readTogether?: (<T>(fn: () => T) => T) | undefined;
  /**
   * SQLite on a file, in a long-running process (SMMKIT_SQLITE_WRITE_THREAD): a transaction that
   * runs whole on the write thread (store/sqlite-write-thread.ts), as its `program` (one of
   * WRITE_THREAD_PROGRAMS), so that its SQLite work (the inserts, and the commit's WAL writes: most
   * of an order's cost) leaves the event loop. `input` is called at its turn among the
   * transactions; what it returns, and what the program answers, are plain data (they cross
   * between threads). While it runs no other transaction starts, and the loop goes on answering
   * requests. Resolves to the program's answer once its commit is durable. Rejects with CommitNotDurable when the thread stopped while running it: whether it
   * committed is then unknown. Absent without a write thread.
   */
  readonly onWriteThread?:
    (<Input, Output>(program: string, input: () => Input) => Promise<Output>) | undefined;
  /**
   * Settles now the write thread's transactions it has answered, rather than at the event loop's
   * turn for its messages. Called between requests by those that wait on the thread (a batched
   * `add`), so that the next batch is sent sooner. Absent without a write thread.
   */
  takeWriteThreadAnswers?(): void;
  close(): Promise<void>;
}

/** An id list as one parameter: a JSON array (SQLite `json_each`) or a `bigint[]` literal (PostgreSQL). */
export function idArray(q: Queryable, ids: readonly number[]): string {
  // Ids are integers: joined, they are the JSON array's text.
  return q.dialect === 'sqlite' ? `[${ids.join(',')}]` : `{${ids.join(',')}}`;
}

/**
 * A transaction that may have committed but is not known to be on disk: its sync failed (it may or
 * may not survive a power cut), or the write thread stopped while it wrote (it may or may not have
 * committed). Nobody is told it worked, and nothing may run it again (it may well be in the database).
 */
export class CommitNotDurable extends Error {
  constructor(cause: unknown) {
    super(
      `perhaps committed, not known to be durable: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  }
}

/** A list of texts as one parameter: a JSON array (SQLite) or a `text[]` literal (PostgreSQL). */
export function textArray(q: Queryable, texts: readonly string[]): string {
  return q.dialect === 'sqlite'
    ? JSON.stringify(texts)
    : `{${texts.map((text) => `"${text.replace(/[\\"]/g, '')}"`).join(',')}}`;
}

/** A closed list of values (statuses, states) written into SQL text: `'a', 'b'`. Never user input. */
export function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value.replace(/'/g, "''")}'`).join(', ');
}
