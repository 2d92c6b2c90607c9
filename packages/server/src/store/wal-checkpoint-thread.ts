import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

/**
 * Runs on its own thread: checkpoints the WAL into the database file every `intervalMs`, so the
 * copy and its fsync never stall the event loop that answers requests. PASSIVE never blocks the
 * panel's readers or writer; whatever it cannot copy now, the next pass does.
 */
const { filename, intervalMs } = workerData as { filename: string; intervalMs: number };
const connection = new BetterSqlite3(filename);
connection.pragma('busy_timeout = 1000');

setInterval(() => {
  try {
    connection.pragma('wal_checkpoint(PASSIVE)');
    parentPort?.postMessage('checkpointed');
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
}, intervalMs);
