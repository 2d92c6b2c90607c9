import { chmodSync, closeSync, existsSync, fdatasync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { Eager } from '../domain/eager.js';
import {
  CommitNotDurable,
  type Database,
  type Queryable,
  type SqlValue,
  type Statement,
} from './database.js';
import type { BackgroundReadAnswer, BackgroundReadRequest } from './background-read-thread.js';
import type { CheckpointThreadData, CheckpointThreadMessage } from './wal-checkpoint-thread.js';
import { type WalCombineState, loadWalCombine } from './sqlite-wal-combine.js';

export type SqliteSynchronous = 'full' | 'normal';

export interface SqliteOptions {
  readonly filename: string;
  /** FULL by default: an order id returned to a client must survive a power cut. */
  readonly synchronous?: SqliteSynchronous;
  /** Most transactions one commit may carry. */
  readonly maxBatch?: number;
  /**
   * Checkpoint the WAL on a thread of its own instead of on the committing request (the server
   * and worker do; short-lived CLI commands keep SQLite's automatic checkpoints).
   */
  readonly checkpointThread?: boolean;
  /**
   * With the checkpoint thread: from this many WAL frames on, the thread brings the WAL back to its
   * start (see wal-checkpoint-thread.ts). Default 4,096 (16 MB at 4 KiB pages).
   */
  readonly walRestartFrames?: number;
  /** With the checkpoint thread: how often it checkpoints (default 1 s; tests shorten it). */
  readonly checkpointIntervalMs?: number;
  /** How long the background read thread may stay idle before it is stopped (default 60 s; tests shorten it). */
  readonly backgroundReadIdleMs?: number;
  /**
   * Batches of plain orders written on a thread of their own (see `Database.onWriteThread`): the
   * server and worker do, unless SMMKIT_SQLITE_WRITE_THREAD=off. Needs the compiled thread script:
   * from the TypeScript sources (tests) there is none unless `writeThreadScript` names one.
   */
  readonly writeThread?: boolean;
  /** The write thread's script (tests: the compiled one, from the TypeScript sources). */
  readonly writeThreadScript?: URL;
  /**
   * Write the WAL through wal-combine (sqlite-wal-combine.ts; SMMKIT_SQLITE_WAL_COMBINE, default on).
   * Process-wide once loaded: `false` only keeps this database from loading it.
   */
  readonly walCombine?: boolean;
}

const CHECKPOINT_INTERVAL_MS = 1000;
const WAL_RESTART_FRAMES = 4096;
/** Longest a hold for the checkpoint thread keeps transactions waiting, should the thread not answer. */
const CHECKPOINT_HOLD_TIMEOUT_MS = 500;
const BACKGROUND_READ_THREAD = new URL('./background-read-thread.js', import.meta.url);
const WRITE_THREAD = new URL('./sqlite-write-thread.js', import.meta.url);

type Connection = BetterSqlite3.Database;
type Prepared = BetterSqlite3.Statement<unknown[], unknown>;

interface PendingTransaction {
  readonly fn: (tx: Queryable) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** A transaction that runs whole on the write thread (see `Database.onWriteThread`). */
interface PendingThreadTransaction {
  readonly program: string;
  readonly input: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** What the event loop asks of the write thread: one transaction, run in its turn behind those sent before. */
export interface WriteThreadRequest {
  readonly id: number;
  readonly program: string;
  readonly input: unknown;
  /** The thread's `wal_autocheckpoint`: 0 while the checkpoint thread checkpoints, else SQLite's 1,000. */
  readonly autocheckpoint: number;
}

/** Its answer: the program's (committed, or rolled back where the program said so), or its error (rolled back). */
export type WriteThreadAnswer =
  { readonly id: number; readonly value: unknown } | { readonly id: number; readonly error: string };

/** What the write thread says on its own port, once: its connection is open (answers go to WriteThreadAnswers' port). */
export interface WriteThreadReady {
  readonly ready: true;
}

/** Where the write thread opens its connection (its page cache: `writeThreadCacheKib`). */
export interface WriteThreadData {
  readonly filename: string;
  readonly synchronous: SqliteSynchronous;
}

/** The event loop's side of WriteThreadAnswers: the port, the count, the answers taken, and what to do with one unreadable. */
interface ThreadAnswers {
  readonly port: MessagePort;
  /** Raised by the thread after each answer it posts (wraps at 2^31, as `taken` does). */
  readonly posted: Int32Array;
  taken: number;
  readonly unreadable: (error: Error) => void;
}

/**
 * Where a write thread answers its transactions: a port of its own, and a count (an Int32 in shared
 * memory) of the answers it has posted there, raised after each. So the event loop can see an answer
 * has come and take it between two requests (`SqliteDatabase.takeWriteThreadAnswers`) rather than
 * at its turn for the port.
 */
export interface WriteThreadAnswers {
  readonly answers: MessagePort;
  readonly answered: SharedArrayBuffer;
}

function bind(params: readonly SqlValue[]): unknown[] {
  return params.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}

/** Dynamic statements kept prepared per connection: a filter's few shapes, never an unbounded set. */
const DYNAMIC_STATEMENTS_KEPT = 256;

/**
 * Prepared statements per connection. A named statement is prepared once. A dynamic one (SQL built
 * per call, such as a listing's filters) is kept by its text, the least recently used dropped
 * first: preparing costs about as much as running a page's query, and the read-or-write check and
 * the run would otherwise each prepare it.
 */
export class StatementCache {
  private readonly prepared = new Map<Statement, Prepared>();
  private readonly dynamic = new Map<string, Prepared>();
  constructor(private readonly connection: Connection) {}

  get(statement: Statement): Prepared {
    if (statement.name === null) return this.dynamicStatement(statement.sqlite);
    let prepared = this.prepared.get(statement);
    if (!prepared) {
      prepared = this.connection.prepare(statement.sqlite);
      if (statement.values) prepared.raw(true);
      this.prepared.set(statement, prepared);
    }
    return prepared;
  }

  /** How many dynamic statements are kept prepared (diagnostics and tests). */
  get dynamicKept(): number {
    return this.dynamic.size;
  }

  private dynamicStatement(text: string): Prepared {
    let prepared = this.dynamic.get(text);
    if (prepared) {
      // Most recently used last: a Map iterates in insertion order.
      this.dynamic.delete(text);
    } else {
      prepared = this.connection.prepare(text);
      if (this.dynamic.size >= DYNAMIC_STATEMENTS_KEPT) {
        const oldest = this.dynamic.keys().next();
        if (!oldest.done) this.dynamic.delete(oldest.value);
      }
    }
    this.dynamic.set(text, prepared);
    return prepared;
  }
}

/**
 * The database holds balances, password hashes and provider keys: readable by its owner only.
 * The file is created (or narrowed) to 0600 before SQLite opens it, and SQLite gives the -wal and
 * -shm files it creates the database file's permissions.
 */
function restrictToOwner(filename: string): void {
  if (!existsSync(filename)) closeSync(openSync(filename, 'a', 0o600));
  chmodSync(filename, 0o600);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(filename + suffix)) chmodSync(filename + suffix, 0o600);
  }
}

/**
 * The reader's cache holds what clients poll: `status` of their 100 latest orders from 100 callers touches
 * ~10,000 table pages, 40 MB (at 32 MB that read ran at 74-79% of the same at 100k orders, the pages
 * evicting each other). 48 MB holds them. It was 64 MB until the write thread's cache grew to 32 MB on
 * large databases (below); with both, the 10M-order scale bench peaked at 309 MB, the peak set by a
 * metrics scrape, not by these caches (README, Benchmarks).
 */
const READER_CACHE_KIB = 48_000;
const WRITER_CACHE_KIB = 32_000;
/**
 * The write thread's page cache: the pages a batch of `add`s reads and extends. Those are its callers'
 * key and user rows, each user's last leaves of `orders_user` and `ledger_entries_user`, and the
 * b-trees' inner pages above them, which grow with the database. At ten million orders (7.4 GB, the
 * scale bench, ~950 users of 10k adding) 16 MB did not hold them: `perf` on both servers of `npm run
 * bench -- scale` showed the 10M server's thread reading pages back from the file (`pread`,
 * `walFindFrame`) and spending twice as long in `pcache1Fetch`, at 23% fewer orders; its `add` ran at
 * 72-77% of the 100k twin's in three runs of four, and at 87.9-93.6% with 32 MB. At a million orders
 * (0.72 GB, 1,000 users of 10k adding) 32 MB bought nothing and cost 17 MB of the server's peak
 * (`npm run bench -- ab`, 6 rounds: B/A median 1.00, peak 204 against 221 MB). So 16 MB below
 * `WRITE_THREAD_LARGE_DATABASE_BYTES`, 32 MB from there on; the thread looks at the database's size
 * as it grows (sqlite-write-thread.ts).
 */
export function writeThreadCacheKib(databaseBytes: number): number {
  return databaseBytes < WRITE_THREAD_LARGE_DATABASE_BYTES ? 16_000 : 32_000;
}
/** Between the two sizes measured (0.72 and 7.4 GB), nearer the smaller: a cache too small costs more than 16 MB. */
export const WRITE_THREAD_LARGE_DATABASE_BYTES = 2 * 1024 ** 3;
/**
 * With V8's default young generation the thread once cost the server 31 MB more at its peak under
 * `add` than writing on the loop; with 8 MB its heap stays small.
 */
const WRITE_THREAD_YOUNG_GENERATION_MB = 8;

export function openConnection(
  filename: string,
  synchronous: SqliteSynchronous,
  readonly: boolean,
): Connection {
  const connection = new BetterSqlite3(filename, { readonly });
  connection.defaultSafeIntegers(true);
  // A concurrent writer (the CLI, another process) holds the lock for milliseconds; wait for it.
  connection.pragma('busy_timeout = 5000');
  if (!readonly) {
    connection.pragma('journal_mode = WAL');
    connection.pragma('foreign_keys = ON');
  }
  connection.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  // Each group-committed transaction has its own savepoint: keep its journal in memory, not in a temp file.
  connection.pragma('temp_store = MEMORY');
  // Negative: KiB (READER_CACHE_KIB says why the reader's is what it is).
  connection.pragma(`cache_size = -${readonly ? READER_CACHE_KIB : WRITER_CACHE_KIB}`);
  return connection;
}

/** Runs statements synchronously on one connection, behind the async `Queryable` face. */
export class ConnectionQueries implements Queryable {
  readonly dialect = 'sqlite' as const;
  constructor(private readonly statements: StatementCache) {}

  all<T>(statement: Statement, params: readonly SqlValue[] = []): Promise<T[]> {
    return Promise.resolve(this.statements.get(statement).all(...bind(params)) as T[]);
  }

  get<T>(statement: Statement, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return Promise.resolve(this.getEager<T>(statement, params));
  }

  getEager<T>(statement: Statement, params: readonly SqlValue[] = []): T | undefined {
    return this.statements.get(statement).get(...bind(params)) as T | undefined;
  }

  run(statement: Statement, params: readonly SqlValue[] = []): Promise<number> {
    return Promise.resolve(this.statements.get(statement).run(...bind(params)).changes);
  }
}

/**
 * Durability at `synchronous=FULL` without stalling the event loop: SQLite's own FULL fsyncs the
 * WAL inside COMMIT, on the thread that commits, and nothing else runs meanwhile. Instead the writer
 * commits at NORMAL (the WAL frames are written, not synced) and this syncs the WAL file
 * (`fdatasync`, on libuv's thread pool) before any transaction of that commit is answered. The
 * guarantee is FULL's: a transaction is answered only once a sync that began after its COMMIT has
 * finished, and a sync covers every frame written before it (earlier commits too). Meanwhile the
 * loop parses and validates the next batch; one sync is in flight at a time, and the next commit
 * waits for it (SqliteDatabase.flush).
 *
 * A failed sync is final: Linux reports a lost write-back once and may then mark the pages clean,
 * so a later sync that succeeds proves nothing about frames written before it, and SQLite's
 * recovery stops at the first frame that did not reach the disk, losing every commit after it. So
 * from the first failure on, no commit is answered as durable again (each gets the failure); the
 * operator restarts the server, and SQLite recovers the WAL as far as it reached the disk.
 */
export class WalSync {
  private fd: number | null = null;
  private inFlight: Promise<void> | null = null;
  private next: { promise: Promise<void>; resolve(): void; reject(error: unknown): void } | null = null;
  /** The first sync that failed: every later `durable()` rejects with it. */
  private failure: Error | null = null;
  /** Syncs completed (tests and diagnostics). */
  completed = 0;

  constructor(private readonly path: string) {}

  /** Resolves once a sync that began after this call has finished; rejects once any sync has failed. */
  durable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.next) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((ok, fail) => {
        resolve = ok;
        reject = fail;
      });
      this.next = { promise, resolve, reject };
    }
    const { promise } = this.next;
    if (!this.inFlight) this.start();
    return promise;
  }

  private start(): void {
    const waiting = this.next;
    if (!waiting) return;
    this.next = null;
    if (this.failure) {
      waiting.reject(this.failure);
      return;
    }
    let settled!: () => void;
    // Set before anything below can call `done`: a failed open calls it at once, and must clear it.
    this.inFlight = new Promise<void>((resolve) => {
      settled = resolve;
    });
    const done = (error: Error | null) => {
      this.inFlight = null;
      if (error) this.failure ??= error;
      if (this.failure) waiting.reject(this.failure);
      else {
        this.completed++;
        waiting.resolve();
      }
      settled();
      if (this.next) this.start();
    };
    let fd: number;
    try {
      // The WAL exists once the first commit wrote it; it keeps its inode while the database is open.
      fd = this.fd ??= openSync(this.path, 'r+');
    } catch (error) {
      done(error instanceof Error ? error : new Error('cannot open the WAL to sync it', { cause: error }));
      return;
    }
    fdatasync(fd, done);
  }

  /** The failure that ended durable commits, or null while there has been none. */
  get failed(): Error | null {
    return this.failure;
  }

  /** Resolves once no sync is in flight. */
  async settled(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  async close(): Promise<void> {
    await this.settled();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * The background read thread's reads are an admin opening the dashboard, a metrics scrape: now and
 * then. Idle this long, it is stopped, and what it holds (an isolate, a connection and its page cache)
 * goes back to the system until the next read starts another. At ten million orders, after the
 * dashboard at 1 and 8 connections, the server's resident memory fell by 9 MB when it stopped.
 */
const BACKGROUND_READ_IDLE_MS = 60_000;

/**
 * Reads on a thread of their own (`Database.background`), started on first use and stopped with the
 * database or once idle for `idleMs`. A thread that dies fails the reads it had and a new one starts
 * on the next read.
 */
class BackgroundReads implements Queryable {
  readonly dialect = 'sqlite' as const;
  private thread: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(rows: unknown): void; reject(error: Error): void }>();
  private closed = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly filename: string,
    private readonly idleMs: number,
  ) {}

  all<T>(statement: Statement, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.read(statement, params, 'all') as Promise<T[]>;
  }

  get<T>(statement: Statement, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.read(statement, params, 'get') as Promise<T | undefined>;
  }

  getEager<T>(statement: Statement, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.get<T>(statement, params);
  }

  run(): Promise<number> {
    return Promise.reject(new Error('background reads are read-only'));
  }

  private read(statement: Statement, params: readonly SqlValue[], mode: 'all' | 'get'): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    this.stopIdleTimer();
    const thread = this.start();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Waiting on a read keeps the process alive; an idle thread does not.
      if (this.pending.size === 1) thread.ref();
      const request: BackgroundReadRequest = {
        id,
        sql: statement.sqlite,
        params: bind(params),
        mode,
        values: statement.values === true,
      };
      thread.postMessage(request);
    });
  }

  private start(): Worker {
    if (this.thread) return this.thread;
    const thread = new Worker(BACKGROUND_READ_THREAD, {
      workerData: { filename: this.filename },
    });
    thread.unref();
    thread.on('message', (answer: BackgroundReadAnswer) => {
      const waiting = this.pending.get(answer.id);
      if (!waiting) return;
      this.pending.delete(answer.id);
      if (this.pending.size === 0) {
        thread.unref();
        this.stopWhenIdle(thread);
      }
      if ('error' in answer) waiting.reject(new Error(answer.error));
      else waiting.resolve(answer.rows);
    });
    const fail = (error: Error) => {
      if (this.thread !== thread) return;
      this.thread = null;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    thread.on('error', fail);
    thread.on('exit', (code) => fail(new Error(`the background read thread stopped (exit ${code})`)));
    this.thread = thread;
    return thread;
  }

  /** Stops `thread` once `idleMs` pass with no read sent to it (a read clears the timer). */
  private stopWhenIdle(thread: Worker): void {
    this.stopIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.thread !== thread || this.pending.size > 0) return;
      // Taken out first, so that its exit is no failure (see `start`).
      this.thread = null;
      void thread.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopIdleTimer();
    const thread = this.thread;
    this.thread = null;
    for (const waiting of this.pending.values()) waiting.reject(new Error('the database is closed'));
    this.pending.clear();
    if (thread) await thread.terminate();
  }
}

/** The write thread stopped with transactions sent to it: each may or may not have committed. */
class WriteThreadStopped extends Error {}

/** Longest the write thread may take over one transaction before it is stopped (its transaction then unknown). */
const WRITE_THREAD_TIMEOUT_MS = 30_000;
/** Threads in a row that stop before their connection is open, after which the loop writes instead. */
const WRITE_THREAD_FAILED_STARTS = 3;

/**
 * The event loop's side of the write thread (store/sqlite-write-thread.ts). Started at the first
 * transaction; should it stop, the next transaction starts another, unless threads keep failing to
 * start (then `usable` turns false and the loop writes everything, as without a thread).
 */
class WriteThread {
  private thread: Worker | null = null;
  /** Whether the current thread has opened its connection (before that, nothing it was sent has run). */
  private ready = false;
  private failedStarts = 0;
  private closed = false;
  private nextId = 0;
  /** The current thread's answers (see WriteThreadAnswers). */
  private answers: ThreadAnswers | null = null;
  private readonly waiting = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }
  >();

  constructor(
    private readonly script: URL,
    private readonly data: WriteThreadData,
  ) {}

  get usable(): boolean {
    return !this.closed && this.failedStarts < WRITE_THREAD_FAILED_STARTS;
  }

  /**
   * Runs a transaction. Rejects with the thread's error (rolled back), with WriteThreadStopped
   * (it may have committed), or with a plain error when nothing of it can have run.
   */
  run(program: string, input: unknown, autocheckpoint: number): Promise<unknown> {
    if (!this.usable) return Promise.reject(new Error('the write thread is closed'));
    const thread = this.start();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      // Should it never answer, it is stopped: its transaction's outcome is then unknown.
      const timer = setTimeout(() => void thread.terminate(), WRITE_THREAD_TIMEOUT_MS);
      this.waiting.set(id, { resolve, reject, timer });
      // Waiting on a transaction keeps the process alive; an idle thread does not.
      if (this.waiting.size === 1) thread.ref();
      try {
        thread.postMessage({ id, program, input, autocheckpoint } satisfies WriteThreadRequest);
      } catch (error) {
        // Not sent (its input would not clone): nothing of it ran.
        this.settle(id)?.reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /**
   * Settles the transactions whose answers the thread has posted and the event loop has not yet
   * delivered. A message waits for the loop's turn for its port, behind whatever requests the loop
   * is busy with (~0.3 ms a batch under `add` at 64 connections, measured); this is one load of the
   * shared count while there is none.
   */
  takeAnswers(): void {
    const answers = this.answers;
    // Not `<`: both counts wrap at 2^31 (a message delivered before its count only costs an empty drain).
    if (answers === null || Atomics.load(answers.posted, 0) === answers.taken) return;
    const unreadable = this.drain(answers);
    if (unreadable) answers.unreadable(unreadable);
  }

  /** Takes every answer waiting on the port; resolves to the error of one that could not be read, if any. */
  private drain(answers: ThreadAnswers): Error | null {
    try {
      for (let taken = receiveMessageOnPort(answers.port); taken; taken = receiveMessageOnPort(answers.port))
        this.answered(answers, taken.message as WriteThreadAnswer);
      return null;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  private answered(answers: ThreadAnswers, answer: WriteThreadAnswer): void {
    answers.taken = (answers.taken + 1) | 0;
    const waiting = this.settle(answer.id);
    if ('error' in answer) waiting?.reject(new Error(answer.error));
    else waiting?.resolve(answer.value);
  }

  private settle(id: number): { resolve(value: unknown): void; reject(error: Error): void } | undefined {
    const waiting = this.waiting.get(id);
    if (!waiting) return undefined;
    clearTimeout(waiting.timer);
    this.waiting.delete(id);
    if (this.waiting.size === 0) this.thread?.unref();
    return waiting;
  }

  private start(): Worker {
    if (this.thread) return this.thread;
    const channel = new MessageChannel();
    let failure: Error | null = null;
    const answered = new SharedArrayBuffer(4);
    const answers: ThreadAnswers = {
      port: channel.port1,
      posted: new Int32Array(answered),
      taken: 0,
      // An answer that cannot be read is an answer lost: the thread is stopped, as if it had not answered.
      unreadable: (error) => {
        failure = error;
        void thread.terminate();
      },
    };
    const thread = new Worker(this.script, {
      workerData: {
        ...this.data,
        answers: channel.port2,
        answered,
      } satisfies WriteThreadData & WriteThreadAnswers,
      transferList: [channel.port2],
      // Its garbage is a batch's input and answer: a small young generation holds it (see WRITE_THREAD_YOUNG_GENERATION_MB).
      resourceLimits: { maxYoungGenerationSizeMb: WRITE_THREAD_YOUNG_GENERATION_MB },
    });
    thread.unref();
    this.ready = false;
    // Its own port says only that it is ready; its answers come on `answers.port`.
    thread.on('message', (message: WriteThreadReady) => {
      if (message.ready) {
        this.ready = true;
        this.failedStarts = 0;
      }
    });
    channel.port1.on('message', (answer: WriteThreadAnswer) => this.answered(answers, answer));
    channel.port1.on('messageerror', answers.unreadable);
    // Its waiting transactions keep the process alive (thread.ref), not the port.
    channel.port1.unref();
    this.answers = answers;
    // An uncaught error ends the thread: what it was sent is settled at its exit, once its connection is closed.
    thread.on('error', (error) => {
      failure = error;
    });
    thread.on('messageerror', answers.unreadable);
    thread.on('exit', (code) => {
      // What it answered before it stopped counts: its own port's messages are delivered before 'exit', this
      // port's need not be (an answer and the exit waiting in the same turn of the loop: 'exit' comes first).
      const unreadable = this.drain(answers);
      if (unreadable) failure ??= unreadable;
      channel.port1.close();
      if (this.answers === answers) this.answers = null;
      if (this.thread === thread) this.thread = null;
      const reason = failure?.message ?? `exit ${code}`;
      const started = this.ready;
      if (!started) this.failedStarts += 1;
      const waiting = [...this.waiting.keys()].map((id) => this.settle(id)!);
      for (const each of waiting)
        each.reject(
          started
            ? new WriteThreadStopped(`the write thread stopped: ${reason}`)
            : new Error(`the write thread could not start: ${reason}`),
        );
    });
    this.thread = thread;
    return thread;
  }

  /** Ends the thread, and with it its connection; later transactions are refused. */
  async stop(): Promise<void> {
    this.closed = true;
    const thread = this.thread;
    if (thread) await thread.terminate();
  }
}

/**
 * SQLite in WAL mode with two connections: a reader that only ever sees committed data, and a
 * writer that runs transactions. Transactions that arrive in the same turn of the event loop are
 * group-committed: one BEGIN IMMEDIATE … COMMIT (one fsync) for the batch, each in its own
 * savepoint, each answered only after the commit is durable. With a write thread, a third
 * connection there runs the transactions sent to it (`onWriteThread`), each in its turn.
 */
export class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  private readonly writer: Connection;
  private readonly reader: Connection;
  private readonly writerStatements: StatementCache;
  private readonly readerStatements: StatementCache;
  private readonly writerQueries: ConnectionQueries;
  private readonly readerQueries: ConnectionQueries;
  private readonly maxBatch: number;
  private queue: (PendingTransaction | PendingThreadTransaction)[] = [];
  /** Set on a file in a long-running process (`writeThread`): see `Database.onWriteThread`. */
  private readonly writeThread: WriteThread | null;
  private flushing = false;
  private checkpointer: Worker | null = null;
  /** The checkpoint thread asked for a hold (its id); granted at the next point between commits. */
  private holdAsked: number | null = null;
  /** While set, the checkpoint thread copies the WAL's last frames and transactions wait. */
  private hold: { readonly id: number; readonly promise: Promise<void>; readonly end: () => void } | null =
    null;
  private holdStats = { holds: 0, longestMs: 0, walFrames: 0, caughtUp: 0 };
  private closing = false;
  private readonly backgroundReads: BackgroundReads | null;
  /** Set at `synchronous=FULL` on a file: commits are synced off the event loop (see WalSync). */
  private readonly walSync: WalSync | null;
  /**
   * See `Database.background`. An in-memory database has no file a thread could open, and the
   * TypeScript sources (tests) have no compiled thread script to start: both read on the reader.
   */
  readonly background: Queryable;
  /** The reader's BEGIN and COMMIT, for `readTogether` (null in memory: the reader is the writer). */
  private readonly sharedRead: { readonly begin: Prepared; readonly end: Prepared } | null;
  /** While `readTogether` runs (the reader is in a transaction only then, once a read opened it). */
  private sharing = false;
  /** Read transactions `readTogether` opened, each shared by the reads of one call (diagnostics and tests). */
  sharedReadTransactions = 0;
  /** Transactions the write thread answered (diagnostics and tests). */
  writeThreadTransactions = 0;
  /** Whether the WAL is written through wal-combine (`off`: not asked for); the server logs it. */
  readonly walCombine: WalCombineState | { readonly state: 'off' };

  constructor(options: SqliteOptions) {
    if (options.filename !== ':memory:') {
      mkdirSync(dirname(options.filename), { recursive: true, mode: 0o700 });
      restrictToOwner(options.filename);
    }
    // Before any connection opens: those opened afterwards (the threads' too) write through it.
    this.walCombine = (options.walCombine ?? true) ? loadWalCombine() : { state: 'off' };
    const synchronous = options.synchronous ?? 'full';
    this.walSync =
      synchronous === 'full' && options.filename !== ':memory:'
        ? new WalSync(`${options.filename}-wal`)
        : null;
    // FULL's sync is WalSync's, after COMMIT and off the loop: the writer itself commits at NORMAL.
    this.writer = openConnection(options.filename, this.walSync ? 'normal' : synchronous, false);
    this.reader =
      options.filename === ':memory:' ? this.writer : openConnection(options.filename, synchronous, true);
    this.writerStatements = new StatementCache(this.writer);
    this.readerStatements =
      this.reader === this.writer ? this.writerStatements : new StatementCache(this.reader);
    this.writerQueries = new ConnectionQueries(this.writerStatements);
    this.readerQueries = new ConnectionQueries(this.readerStatements);
    const shared =
      this.reader === this.writer
        ? null
        : { begin: this.reader.prepare('BEGIN'), end: this.reader.prepare('COMMIT') };
    this.sharedRead = shared;
    this.readTogether = shared === null ? undefined : (fn) => this.readShared(shared, fn);
    this.maxBatch = options.maxBatch ?? 256;
    this.backgroundReads =
      options.filename === ':memory:' || !existsSync(fileURLToPath(BACKGROUND_READ_THREAD))
        ? null
        : new BackgroundReads(options.filename, options.backgroundReadIdleMs ?? BACKGROUND_READ_IDLE_MS);
    this.background = this.backgroundReads ?? this.readerQueries;
    this.writeThread =
      options.writeThread &&
      options.filename !== ':memory:' &&
      existsSync(fileURLToPath(options.writeThreadScript ?? WRITE_THREAD))
        ? new WriteThread(options.writeThreadScript ?? WRITE_THREAD, {
            filename: options.filename,
            synchronous: this.walSync ? 'normal' : synchronous,
          })
        : null;
    if (options.checkpointThread && options.filename !== ':memory:')
      this.startCheckpointer({
        filename: options.filename,
        intervalMs: options.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS,
        restartFrames: options.walRestartFrames ?? WAL_RESTART_FRAMES,
      });
  }

  private startCheckpointer(workerData: CheckpointThreadData): void {
    const worker = new Worker(new URL('./wal-checkpoint-thread.js', import.meta.url), { workerData });
    worker.unref();
    // Should the thread ever stop, commits checkpoint again themselves: the WAL never grows unbounded.
    const fallBack = () => {
      if (this.checkpointer !== worker) return;
      this.checkpointer = null;
      this.holdAsked = null;
      this.hold?.end();
      if (this.writer.open) this.writer.pragma('wal_autocheckpoint = 1000');
    };
    worker.on('error', fallBack);
    worker.on('exit', fallBack);
    worker.on('message', (message: CheckpointThreadMessage) => {
      if (message.type === 'hold') {
        this.holdAsked = message.id;
        // Between commits already: hold now (a transaction queued meanwhile waits for the hold).
        if (!this.flushing) this.grantHold();
      } else if (message.type === 'release') {
        if (message.id === this.hold?.id) this.hold.end();
      } else if (message.type === 'checkpointed') {
        this.holdStats.walFrames = message.walFrames;
        this.holdStats.caughtUp = message.caughtUp;
      }
    });
    this.checkpointer = worker;
    this.writer.pragma('wal_autocheckpoint = 0');
  }

  /**
   * Holds transactions (not the event loop) while the checkpoint thread copies the WAL's last
   * frames, so that the next commit writes the WAL from its start (see wal-checkpoint-thread.ts).
   * Only ever called between commits: no transaction is open on the writer.
   */
  private grantHold(): void {
    const worker = this.checkpointer;
    const id = this.holdAsked;
    // One hold at a time: an ask that arrives during one is granted when it ends.
    if (!worker || id === null || this.hold || this.closing) return;
    this.holdAsked = null;
    const started = performance.now();
    let end!: () => void;
    const promise = new Promise<void>((resolve) => {
      end = () => {
        clearTimeout(timer);
        if (this.hold?.promise !== promise) return;
        this.hold = null;
        this.holdStats.longestMs = Math.max(this.holdStats.longestMs, performance.now() - started);
        resolve();
        if (!this.flushing) this.grantHold();
      };
      const timer = setTimeout(end, CHECKPOINT_HOLD_TIMEOUT_MS);
    });
    this.hold = { id, promise, end };
    this.holdStats.holds += 1;
    worker.postMessage({ type: 'held', id } satisfies CheckpointThreadMessage);
  }

  /**
   * The checkpoint thread's holds so far, the longest one, and what its last pass saw: the WAL's
   * frames and how many times the WAL was copied whole under a hold (tests and diagnostics).
   */
  get walCheckpoints(): {
    readonly holds: number;
    readonly longestHoldMs: number;
    readonly walFrames: number;
    readonly caughtUp: number;
  } {
    const { holds, longestMs, walFrames, caughtUp } = this.holdStats;
    return { holds, longestHoldMs: longestMs, walFrames, caughtUp };
  }

  /** Whether the WAL is checkpointed off the event loop (false: by commits, as SQLite does by default). */
  get checkpointsOnThread(): boolean {
    return this.checkpointer !== null;
  }

  /** Reads run on the reader connection; anything that writes goes through a transaction. */
  all<T>(statement: Statement, params: readonly SqlValue[] = []): Promise<T[]> {
    if (this.isReadOnly(statement)) return this.reading().all<T>(statement, params);
    return this.transaction((tx) => tx.all<T>(statement, params));
  }

  get<T>(statement: Statement, params: readonly SqlValue[] = []): Promise<T | undefined> {
    if (this.isReadOnly(statement)) return this.reading().get<T>(statement, params);
    return this.transaction((tx) => tx.get<T>(statement, params));
  }

  /** On the reader, at once; a statement that writes (or any, in memory) waits for its transaction. */
  getEager<T>(statement: Statement, params: readonly SqlValue[] = []): Eager<T | undefined> {
    if (this.isReadOnly(statement)) return this.reading().getEager<T>(statement, params);
    return this.get<T>(statement, params);
  }

  /**
   * See `Database.readTogether`: undefined in memory, where the reader is the writer and a read
   * transaction would hold the writer.
   */
  readonly readTogether: (<T>(fn: () => T) => T) | undefined;

  /** `readTogether`. Nested, the inner call shares the outer one's transaction. */
  private readShared<T>(shared: { readonly begin: Prepared; readonly end: Prepared }, fn: () => T): T {
    if (this.sharing) return fn();
    this.sharing = true;
    try {
      return fn();
    } finally {
      this.sharing = false;
      // A read that failed inside it leaves the transaction open: it ends here all the same. Should
      // the COMMIT itself fail, a ROLLBACK ends it: the reader must never stay on an old snapshot.
      if (this.reader.inTransaction) {
        try {
          shared.end.run();
        } finally {
          if (this.reader.inTransaction) this.reader.exec('ROLLBACK');
        }
      }
    }
  }

  /** The reader, for a read; inside `readTogether` the first read opens the shared transaction. */
  private reading(): ConnectionQueries {
    if (this.sharing && this.sharedRead !== null && !this.reader.inTransaction) {
      this.sharedRead.begin.run();
      this.sharedReadTransactions += 1;
    }
    return this.readerQueries;
  }

  run(statement: Statement, params: readonly SqlValue[] = []): Promise<number> {
    return this.transaction((tx) => tx.run(statement, params));
  }

  private isReadOnly(statement: Statement): boolean {
    return this.reader !== this.writer && this.readerStatements.get(statement).readonly;
  }

  /**
   * See `Database.onWriteThread`: undefined without a write thread, once closed, and once threads
   * kept failing to start.
   */
  get onWriteThread(): Database['onWriteThread'] {
    return this.writeThread?.usable ? this.queueOnWriteThread : undefined;
  }

  /** See `Database.takeWriteThreadAnswers`. */
  takeWriteThreadAnswers(): void {
    this.writeThread?.takeAnswers();
  }

  private readonly queueOnWriteThread = <Input, Output>(program: string, input: () => Input) =>
    this.queueOnThread<Input, Output>(program, input);

  private queueOnThread<Input, Output>(program: string, input: () => Input): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      this.queue.push({ program, input, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0]!;
        const onThread = 'program' in head;
        // Group commit: while the previous commit's sync runs, transactions gather for the next one
        // (the loop meanwhile parses and validates them), which then commits them all at once.
        // (Committing them during that sync instead, their answers waiting for the next one, was
        // measured: more commits of fewer orders, ~10% more CPU an order; see ARCHITECTURE.) A
        // transaction of the write thread's does not wait: the CPU waiting saves is the thread's, not the loop's.
        if (this.walSync && !onThread) await this.walSync.settled();
        if (this.holdAsked !== null) this.grantHold();
        if (this.hold) await this.hold.promise;
        if (onThread) {
          this.queue.shift();
          await this.runOnThread(head);
          continue;
        }
        // Group-committed up to the next transaction of the write thread's.
        let end = 1;
        while (end < this.queue.length && end < this.maxBatch && !('program' in this.queue[end]!)) end += 1;
        const batch = this.queue.splice(0, end) as PendingTransaction[];
        await this.runBatch(batch);
      }
    } finally {
      this.flushing = false;
      // Asked during the last commit: nothing is being written now.
      this.grantHold();
    }
  }

  /**
   * A transaction on the write thread, awaited until the thread answers (no other transaction
   * starts meanwhile; the loop goes on answering requests). Its own answer waits for the commit's
   * sync, as a group commit's transactions do.
   */
  private async runOnThread(pending: PendingThreadTransaction): Promise<void> {
    let input: unknown;
    try {
      input = pending.input();
    } catch (error) {
      pending.reject(error);
      return;
    }
    let value: unknown;
    try {
      value = await this.writeThread!.run(pending.program, input, this.checkpointer ? 0 : 1000);
      this.writeThreadTransactions += 1;
    } catch (error) {
      // An error the thread answered was rolled back; a thread that stopped may have committed first.
      pending.reject(error instanceof WriteThreadStopped ? new CommitNotDurable(error) : error);
      return;
    }
    if (!this.walSync) {
      pending.resolve(value);
      return;
    }
    // Not awaited: the next transaction commits while this one's sync runs.
    this.walSync.durable().then(
      () => pending.resolve(value),
      (error: unknown) => pending.reject(new CommitNotDurable(error)),
    );
  }

  private async runBatch(batch: PendingTransaction[]): Promise<void> {
    try {
      this.writer.exec('BEGIN IMMEDIATE');
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const settled: { item: PendingTransaction; ok: boolean; value: unknown }[] = [];
    for (const item of batch) {
      this.writer.exec('SAVEPOINT tx');
      try {
        const value = await item.fn(this.writerQueries);
        this.writer.exec('RELEASE tx');
        settled.push({ item, ok: true, value });
      } catch (error) {
        if (!this.writer.inTransaction) {
          // SQLite rolled the whole transaction back (e.g. disk full): nothing in this batch was kept.
          for (const done of settled) done.item.reject(error);
          item.reject(error);
          this.queue.unshift(...batch.slice(batch.indexOf(item) + 1));
          return;
        }
        this.writer.exec('ROLLBACK TO tx');
        this.writer.exec('RELEASE tx');
        settled.push({ item, ok: false, value: error });
      }
    }
    try {
      this.writer.exec('COMMIT');
    } catch (error) {
      if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
      for (const done of settled) done.item.reject(done.ok ? error : done.value);
      return;
    }
    const answer = () => {
      for (const done of settled) {
        if (done.ok) done.item.resolve(done.value);
        else done.item.reject(done.value);
      }
    };
    if (!this.walSync) {
      answer();
      return;
    }
    // Not awaited: the next batch commits while this one's sync runs; its answers wait for the sync.
    this.walSync.durable().then(answer, (error: unknown) => {
      // Committed but perhaps not on disk: nobody is told it worked, and nobody may run it again.
      const notDurable = new CommitNotDurable(error);
      for (const done of settled) done.item.reject(done.ok ? notDurable : done.value);
    });
  }

  /** See `Database.durabilityLost`: the failed WAL sync after which no commit is answered as durable. */
  get durabilityLost(): Error | null {
    return this.walSync?.failed ?? null;
  }

  /** WAL syncs completed so far (0 unless commits are synced off the loop: `synchronous=FULL` on a file). */
  get walSyncs(): number {
    return this.walSync?.completed ?? 0;
  }

  /** Dynamic statements kept prepared, on the reader and the writer (tests and diagnostics). */
  get dynamicStatementsKept(): { readonly reader: number; readonly writer: number } {
    return { reader: this.readerStatements.dynamicKept, writer: this.writerStatements.dynamicKept };
  }

  async close(): Promise<void> {
    // No hold from here on; what waited for one commits, and every commit ends, before the WAL's sync closes.
    this.closing = true;
    this.holdAsked = null;
    this.hold?.end();
    while (this.flushing) await new Promise((resolve) => setImmediate(resolve));
    await this.backgroundReads?.close();
    // A transaction queued meanwhile ends too, before the thread does.
    while (this.flushing) await new Promise((resolve) => setImmediate(resolve));
    await this.writeThread?.stop();
    // Every commit's answer waits for its sync: let the last ones finish before the file goes.
    await this.walSync?.close();
    const checkpointer = this.checkpointer;
    this.checkpointer = null;
    if (checkpointer) {
      // Unref'd, the thread would not keep the process alive while we wait for it to end.
      checkpointer.ref();
      await checkpointer.terminate();
    }
    if (this.reader !== this.writer) this.reader.close();
    // Closing the last connection checkpoints whatever the thread had not.
    this.writer.close();
  }
}
