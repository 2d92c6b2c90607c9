import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

/**
 * Runs on its own thread with a read-only connection: the long aggregate reads (metrics scrapes,
 * dashboards) that would otherwise stall the event loop answering requests for as long as they
 * scan. Each message is one statement; the answer carries its rows (bigints as they are).
 */
export interface BackgroundReadRequest {
  readonly id: number;
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly mode: 'all' | 'get';
  /** Rows as arrays of values (`Statement.values`). */
  readonly values: boolean;
}

export type BackgroundReadAnswer =
  { readonly id: number; readonly rows: unknown } | { readonly id: number; readonly error: string };

const { filename } = workerData as { filename: string };
const connection = new BetterSqlite3(filename, { readonly: true });
connection.defaultSafeIntegers(true);
connection.pragma('busy_timeout = 5000');
connection.pragma('cache_size = -16000');
const prepared = new Map<string, BetterSqlite3.Statement<unknown[], unknown>>();

parentPort?.on('message', (request: BackgroundReadRequest) => {
  let answer: BackgroundReadAnswer;
  try {
    // Raw mode stays with a prepared statement: one of each kind per text.
    const key = `${request.values ? 'values' : 'objects'}:${request.sql}`;
    let statement = prepared.get(key);
    if (!statement) {
      statement = connection.prepare(request.sql);
      if (!statement.readonly) throw new Error('a background read must not write');
      if (request.values) statement.raw(true);
      prepared.set(key, statement);
    }
    const rows = request.mode === 'all' ? statement.all(...request.params) : statement.get(...request.params);
    answer = { id: request.id, rows };
  } catch (error) {
    answer = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(answer);
});
