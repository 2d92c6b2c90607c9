import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';

/**
 * wal-combine (native/wal-combine.c, built by native/build.js): a SQLite VFS that writes each
 * commit's WAL frames in a few large writes instead of two per frame. SQLite writes a frame's
 * 24-byte header and its page with two calls; a batch of `add`s appends ~3.6 frames an order, and
 * on a machine where a system call costs microseconds those writes were a fifth of the write
 * thread's time (see ARCHITECTURE.md, "The add write path"). The bytes, their offsets and their order
 * are SQLite's own; every frame is written before SQLite publishes its commit to other connections,
 * and a commit is still answered only once WalSync has synced the WAL.
 *
 * Loading it makes it SQLite's default VFS for the whole process: every connection opened
 * afterwards, on any thread, uses it (it passes every file but the WAL straight through).
 */

/** native/build/, reached alike from src/store (tests) and dist/store. */
export const WAL_COMBINE_LIBRARY = fileURLToPath(
  new URL(
    `../../native/build/wal-combine.${process.platform === 'darwin' ? 'dylib' : 'so'}`,
    import.meta.url,
  ),
);

/** `on`: loaded; `unavailable`: not built (no C compiler at install) or not loadable, with why. */
export type WalCombineState =
  { readonly state: 'on' } | { readonly state: 'unavailable'; readonly reason: string };

let loaded: WalCombineState | null = null;

/** Loads wal-combine for the process, once; connections opened before keep writing as SQLite does. */
export function loadWalCombine(): WalCombineState {
  if (loaded?.state === 'on') return loaded;
  if (process.platform === 'win32') {
    loaded = { state: 'unavailable', reason: 'not built on Windows' };
    return loaded;
  }
  if (!existsSync(WAL_COMBINE_LIBRARY)) {
    loaded = {
      state: 'unavailable',
      reason: `${WAL_COMBINE_LIBRARY} is not built (npm run build needs a C compiler)`,
    };
    return loaded;
  }
  const connection = new BetterSqlite3(':memory:');
  try {
    // Registers the VFS and keeps the library loaded after this connection closes.
    connection.loadExtension(WAL_COMBINE_LIBRARY);
    loaded = { state: 'on' };
  } catch (error) {
    loaded = { state: 'unavailable', reason: (error as Error).message };
  } finally {
    connection.close();
  }
  return loaded;
}
