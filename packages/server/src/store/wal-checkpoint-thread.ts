import { closeSync, fdatasyncSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

/** What the thread and the connection that writes say to each other (see SqliteDatabase). */
export type CheckpointThreadMessage =
  /** Thread → writer: hold your next transaction, so that I can copy the WAL's last frames. */
  | { readonly type: 'hold'; readonly id: number }
  /** Writer → thread: nothing is being written; copy now. */
  | { readonly type: 'held'; readonly id: number }
  /** Thread → writer: done copying; write again (the next commit starts the WAL over). */
  | { readonly type: 'release'; readonly id: number }
  /** Thread → writer, after each pass: the WAL's frames, and how many times it was caught up whole under a hold. */
  | { readonly type: 'checkpointed'; readonly walFrames: number; readonly caughtUp: number }
  | { readonly type: 'error'; readonly message: string };

export interface CheckpointThreadData {
  readonly filename: string;
  readonly intervalMs: number;
  /** From this many frames on, the WAL is brought back to its start (see below). */
  readonly restartFrames: number;
}

/**
 * Runs on its own thread: checkpoints the WAL into the database file every `intervalMs`, so the
 * copy and its fsync never stall the event loop that answers requests. PASSIVE never blocks the
 * panel's readers or writer; whatever it cannot copy now, the next pass does.
 *
 * SQLite writes the WAL from its start again only when a writer begins after every frame has been
 * copied. Under steady writes that never happens by itself (the writer appends while a pass copies),
 * so the WAL would grow without end, every frame landing in a newly allocated block of the file
 * (measured under `add` at 64 connections: 1.1 GB in 16 s, and a fifth of the server's CPU spent by
 * the file system zeroing those blocks). So once the WAL holds `restartFrames` frames, the thread
 * copies what is there, then asks the writer to hold its next transaction (its event loop runs on,
 * only commits wait) while it copies the last frames; the writer's next commit then starts the WAL
 * over, writing into blocks the file already has.
 */
const { filename, intervalMs, restartFrames } = workerData as CheckpointThreadData;
const connection = new BetterSqlite3(filename);
connection.pragma('busy_timeout = 1000');

/**
 * Passes back to back before the hold, each copying what the writer appended during the last, until
 * one finds fewer than `HOLD_FRAMES` new frames. Each is followed by an fsync of the database file:
 * SQLite syncs it only in a pass that copies the WAL up to its end (one that races a writer does
 * not), so otherwise every page copied since the last hold would be synced under the hold (measured
 * under `add` at 64 connections: 22-38 ms held, against 1-2 ms without that sync).
 */
const MAX_CATCH_UP_PASSES = 4;
const HOLD_FRAMES = 512;

interface CheckpointResult {
  /** Frames in the WAL. */
  readonly log: number;
  /** Of those, copied into the database file. */
  readonly checkpointed: number;
}

function checkpoint(): CheckpointResult {
  const [result] = connection.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
  return result ?? { log: 0, checkpointed: 0 };
}

/** Opened for each sync: a descriptor kept open would outlive the thread (`terminate` closes none). */
function syncDatabaseFile(): void {
  const fd = openSync(filename, 'r');
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

let holdId = 0;
let caughtUp = 0;
/** Should the writer never answer a hold, passes go on after this long (they do not need it). */
let holdTimer: NodeJS.Timeout | null = null;
let walFrames = 0;

function report(error: unknown): void {
  parentPort?.postMessage({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
  } satisfies CheckpointThreadMessage);
}

function pass(): void {
  try {
    let result = checkpoint();
    walFrames = result.log;
    if (result.log >= restartFrames) {
      let appended = 0;
      for (let i = 0; i < MAX_CATCH_UP_PASSES; i++) {
        syncDatabaseFile();
        const before = result.log;
        result = checkpoint();
        appended = result.log - before;
        if (appended < HOLD_FRAMES) break;
      }
      // Nothing written meanwhile (an idle panel, or a reader holding the WAL): no hold; the next
      // commit starts the WAL over by itself once every frame is copied.
      if (appended <= 0) {
        parentPort?.postMessage({
          type: 'checkpointed',
          walFrames,
          caughtUp,
        } satisfies CheckpointThreadMessage);
        setTimeout(pass, intervalMs);
        return;
      }
      syncDatabaseFile();
      holdId += 1;
      parentPort?.postMessage({ type: 'hold', id: holdId } satisfies CheckpointThreadMessage);
      // The next pass is scheduled once the writer has held.
      holdTimer = setTimeout(() => {
        holdId += 1;
        holdTimer = null;
        pass();
      }, 10 * intervalMs);
      return;
    }
    parentPort?.postMessage({ type: 'checkpointed', walFrames, caughtUp } satisfies CheckpointThreadMessage);
  } catch (error) {
    report(error);
  }
  setTimeout(pass, intervalMs);
}

parentPort?.on('message', (message: CheckpointThreadMessage) => {
  if (message.type !== 'held' || message.id !== holdId) return;
  if (holdTimer) clearTimeout(holdTimer);
  holdTimer = null;
  try {
    const result = checkpoint();
    walFrames = result.log;
    // (-1 and -1 when the checkpoint could not run at all.)
    if (result.log > 0 && result.checkpointed === result.log) caughtUp += 1;
  } catch (error) {
    report(error);
  }
  parentPort?.postMessage({ type: 'release', id: message.id } satisfies CheckpointThreadMessage);
  parentPort?.postMessage({ type: 'checkpointed', walFrames, caughtUp } satisfies CheckpointThreadMessage);
  setTimeout(pass, intervalMs);
});

setTimeout(pass, intervalMs);
