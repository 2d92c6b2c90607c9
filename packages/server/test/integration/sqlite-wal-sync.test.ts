import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/app/context.js';
import { checkReadiness } from '../../src/app/operations/check-readiness.js';
import { CommitNotDurable, sql } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';
import { SqliteDatabase, WalSync } from '../../src/store/sqlite-database.js';
import { TEST_DIALECT, type TestDatabase, createTestDatabase } from '../support/test-database.js';

const insertUser = sql("INSERT INTO users (username, role, created_at) VALUES (?, 'customer', 0)");
const countUsers = sql('SELECT COUNT(*) AS c FROM users');
const synchronousPragma = sql('PRAGMA synchronous');

describe.runIf(TEST_DIALECT === 'sqlite')(
  'SQLite at synchronous=FULL syncs the WAL off the event loop',
  () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase('sqlite');
    });
    afterAll(() => database.drop());

    it('answers each transaction only after a WAL sync that began after its commit, and coalesces syncs', async () => {
      const db = new SqliteDatabase({ filename: database.url, synchronous: 'full' });
      try {
        await migrate(db, 0);
        // The writer commits at NORMAL (1): the sync is the database's own, after COMMIT.
        expect(await db.transaction((tx) => tx.get(synchronousPragma))).toEqual({ synchronous: 1n });
        const before = db.walSyncs;
        await db.run(insertUser, ['first']);
        // Answered only once a sync completed after it.
        expect(db.walSyncs).toBe(before + 1);

        // 300 transactions from three turns of the loop: every one answered after a sync, far fewer syncs.
        const results: Promise<number>[] = [];
        for (let turn = 0; turn < 3; turn++) {
          for (let i = 0; i < 100; i++) {
            results.push(
              db.run(insertUser, [`user-${turn}-${i}`]).then((changed) => {
                // By the time a transaction is answered, a sync that started after its commit has finished.
                expect(db.walSyncs).toBeGreaterThan(before + 1);
                return changed;
              }),
            );
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
        expect(await Promise.all(results)).toEqual(Array(300).fill(1));
        expect(db.walSyncs - before - 1).toBeGreaterThanOrEqual(1);
        expect(db.walSyncs - before - 1).toBeLessThanOrEqual(3);
        expect(await db.get(countUsers)).toEqual({ c: 301n });
      } finally {
        await db.close();
      }
    });

    it('once a WAL sync fails, every write is refused as not durable and the server says it is not ready', async () => {
      const filename = `${database.url}-lost`;
      const first = new SqliteDatabase({ filename, synchronous: 'full' });
      await migrate(first, 0);
      await first.close();
      // A server starting on that database: SQLite opens (creates) the WAL as it opens the database,
      // and the WAL file is then taken from under it, so the first sync cannot open it.
      const db = new SqliteDatabase({ filename, synchronous: 'full' });
      try {
        const ctx = { db, clock: systemClock, actor: { kind: 'system' }, currency: 'USD' } as const;
        expect(await checkReadiness(ctx)).toEqual({ ready: true });
        rmSync(`${filename}-wal`);
        const refused = db.run(insertUser, ['lost-1']);
        await expect(refused).rejects.toBeInstanceOf(CommitNotDurable);
        await expect(refused).rejects.toThrow(/ENOENT/);
        expect(db.durabilityLost?.message).toMatch(/ENOENT/);
        // A new WAL file there would sync; the failure stands until a restart.
        closeSync(openSync(`${filename}-wal`, 'w'));
        await expect(db.run(insertUser, ['lost-2'])).rejects.toBeInstanceOf(CommitNotDurable);
        expect(await checkReadiness(ctx)).toMatchObject({
          ready: false,
          reason: 'database writes not durable',
        });
      } finally {
        await db.close();
      }
    });

    it('at synchronous=NORMAL nothing is synced by the database: the operator chose crash safety only', async () => {
      const db = new SqliteDatabase({ filename: `${database.url}-normal`, synchronous: 'normal' });
      try {
        await migrate(db, 0);
        await db.run(insertUser, ['normal']);
        expect(db.walSyncs).toBe(0);
        expect(await db.transaction((tx) => tx.get(synchronousPragma))).toEqual({ synchronous: 1n });
      } finally {
        await db.close();
      }
    });
  },
);

describe.runIf(TEST_DIALECT === 'sqlite')('a failed WAL sync is final', () => {
  it('no commit is answered as durable after one, even once syncing works again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smmkit-wal-sync-'));
    const wal = join(dir, 'smmkit.db-wal');
    const sync = new WalSync(wal);
    try {
      // No WAL file to sync: the sync fails, and the commit that waited for it hears so.
      await expect(sync.durable()).rejects.toThrow(/ENOENT/);
      // Nothing is left in flight: the group commit, which waits for that before its next commit, goes on.
      await sync.settled();
      // The file is there now, and a sync of it would succeed; the failure still stands, for a commit
      // made meanwhile and for every later one: frames written before it may never reach the disk.
      closeSync(openSync(wal, 'w'));
      await expect(sync.durable()).rejects.toThrow(/ENOENT/);
      await expect(Promise.all([sync.durable(), sync.durable()])).rejects.toThrow(/ENOENT/);
      expect(sync.completed).toBe(0);

      // The same file with a fresh WalSync (a restarted server): syncs succeed.
      const restarted = new WalSync(wal);
      await restarted.durable();
      await Promise.all([restarted.durable(), restarted.durable()]);
      expect(restarted.completed).toBeGreaterThanOrEqual(2);
      await restarted.close();
    } finally {
      await sync.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
