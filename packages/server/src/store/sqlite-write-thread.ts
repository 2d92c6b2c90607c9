import { parentPort, workerData } from 'node:worker_threads';
import type { Queryable } from './database.js';
import { runOrderBatch } from './order-batch.js';
import {
  ConnectionQueries,
  StatementCache,
  type WriteThreadAnswer,
  type WriteThreadAnswers,
  type WriteThreadData,
  type WriteThreadReady,
  type WriteThreadRequest,
  openConnection,
  writeThreadCacheKib,
} from './sqlite-database.js';

/**
 * The write thread: a connection of its own on which whole transactions run, one after the other,
 * in the order the event loop's queue sent them (see `Database.onWriteThread`). Each is a program
 * run between BEGIN IMMEDIATE and COMMIT (or ROLLBACK, where it says so or throws). What a program
 * takes and answers is plain data (bigints as they are), since it crosses between threads.
 */
type WriteThreadProgram = (tx: Queryable, input: never) => Promise<{ commit: boolean; value: unknown }>;

export const WRITE_THREAD_PROGRAMS: Readonly<Record<string, WriteThreadProgram>> = {
  // A batch of plain `add`s (app/orders/order-batch.ts).
  'order-batch': runOrderBatch,
};

const { filename, synchronous, answers, answered } = workerData as WriteThreadData & WriteThreadAnswers;
const posted = new Int32Array(answered);
const connection = openConnection(filename, synchronous, false);
const pageCount = connection.prepare('PRAGMA page_count').pluck();
const pageSize = Number(connection.pragma('page_size', { simple: true }));
/** Transactions between two looks at the database's size (a PRAGMA reading the header page: microseconds). */
const SIZE_LOOK_EVERY = 256;
let cacheKib = 0;
let sinceSizeLook = 0;

/** Sizes the page cache for the database as it is now (`writeThreadCacheKib`). */
function fitCache(): void {
  sinceSizeLook = 0;
  const wanted = writeThreadCacheKib(Number(pageCount.get()) * pageSize);
  if (wanted === cacheKib) return;
  connection.pragma(`cache_size = -${wanted}`);
  cacheKib = wanted;
}
fitCache();
const queries = new ConnectionQueries(new StatementCache(connection));
const begin = connection.prepare('BEGIN IMMEDIATE');
const commit = connection.prepare('COMMIT');
let autocheckpoint = -1;

async function run(request: WriteThreadRequest): Promise<unknown> {
  const program = WRITE_THREAD_PROGRAMS[request.program];
  if (!program) throw new Error(`the write thread has no program ${request.program}`);
  // Commits checkpoint as SQLite's do, unless the checkpoint thread does (and again should it stop).
  if (request.autocheckpoint !== autocheckpoint) {
    connection.pragma(`wal_autocheckpoint = ${request.autocheckpoint}`);
    autocheckpoint = request.autocheckpoint;
  }
  if (++sinceSizeLook >= SIZE_LOOK_EVERY) fitCache();
  begin.run();
  const { commit: keep, value } = await program(queries, request.input as never);
  if (keep) commit.run();
  else connection.exec('ROLLBACK');
  return value;
}

parentPort?.postMessage({ ready: true } satisfies WriteThreadReady);

// One transaction at a time, in the order they came.
let last: Promise<void> = Promise.resolve();
parentPort?.on('message', (request: WriteThreadRequest) => {
  last = last.then(async () => {
    let answer: WriteThreadAnswer;
    try {
      answer = { id: request.id, value: await run(request) };
    } catch (error) {
      // Whatever failed (a statement, the COMMIT), nothing of the transaction is kept.
      try {
        if (connection.inTransaction) connection.exec('ROLLBACK');
      } catch {
        // A connection that cannot roll back must not run another transaction: the thread ends
        // (its connection closes, which rolls back), and the loop starts another.
        process.exit(1);
      }
      answer = { id: request.id, error: error instanceof Error ? error.message : String(error) };
    }
    // On its port, then counted: the event loop may take it between two requests (WriteThreadAnswers).
    answers.postMessage(answer);
    Atomics.add(posted, 0, 1);
  });
});
