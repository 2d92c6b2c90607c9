import type { Database, Queryable } from '../../src/store/database.js';

/**
 * A transaction that runs `write`, then stays open until `release` is called, then commits: a
 * writer caught across a migration's statement (a trigger's creation, a backfill's snapshot).
 * `wrote` resolves once `write` is done.
 */
export function heldTransaction(
  db: Database,
  write: (tx: Queryable) => Promise<unknown>,
): { wrote: Promise<void>; release: () => void; done: Promise<void> } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const done = db.transaction(async (tx) => {
    await write(tx);
    wrote();
    await released;
  });
  return { wrote: written, release, done };
}
