import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, sqlValues } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';
import { TEST_DIALECT, type TestDatabase, createTestDatabase } from '../support/test-database.js';

// The read thread loads compiled JavaScript, so this test drives the built store (`npm test` builds first).
const { SqliteDatabase } = await import('../../dist/store/sqlite-database.js');

/** About a second of SQLite work in one statement: a long aggregate such as a scrape over millions of orders. */
const longCount = sql(
  'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT COUNT(*) AS c, SUM(i) AS s FROM n',
);
const countUsers = sql('SELECT COUNT(*) AS c FROM users');
const insertUser = sql("INSERT INTO users (username, role, created_at) VALUES (?, 'customer', 0)");

describe.runIf(TEST_DIALECT === 'sqlite')('SQLite background reads run on a thread of their own', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database.drop());

  it('a long read leaves the event loop free, answers exactly (bigints), sees committed writes, refuses writes', async () => {
    const db = new SqliteDatabase({ filename: database.url });
    try {
      await migrate(db, 0);
      await db.run(insertUser, ['background-reader']);
      expect(await db.background.get(countUsers)).toEqual({ c: 1n });
      // A values statement answers arrays there too, and the same text as objects still objects.
      const countUsersAsValues = sqlValues('SELECT COUNT(*) AS c FROM users');
      expect(await db.background.get(countUsersAsValues)).toEqual([1n]);
      expect(await db.background.all(countUsersAsValues)).toEqual([[1n]]);
      expect(await db.background.get(countUsers)).toEqual({ c: 1n });

      // The same statement on the event loop blocks it for as long as it runs…
      const onLoop = await loopStallDuring(() => db.get(longCount, [3_000_000]));
      // …as a background read it does not.
      const offLoop = await loopStallDuring(() => db.background.get(longCount, [3_000_000]));
      expect(offLoop.result).toEqual({ c: 3_000_000n, s: 4_500_001_500_000n });
      expect(onLoop.result).toEqual(offLoop.result);
      expect(onLoop.longestStallMs).toBeGreaterThan(100);
      expect(offLoop.longestStallMs).toBeLessThan(onLoop.longestStallMs / 2);

      await expect(db.background.run(insertUser, ['nobody'])).rejects.toThrow(/read-only/);
      await expect(db.background.all(insertUser, ['nobody'])).rejects.toThrow(/must not write/);
      expect(await db.get(countUsers)).toEqual({ c: 1n });
    } finally {
      await db.close();
    }
    await expect(db.background.get(countUsers)).rejects.toThrow(/closed/);
  });

  it('an idle thread is stopped (its OS thread ends), a read in flight keeps it, and the next read starts another', async () => {
    const db = new SqliteDatabase({ filename: database.url, backgroundReadIdleMs: 300 });
    try {
      await migrate(db, 0);
      // libuv's pool starts on first use: started before counting, it is no thread of the reads'.
      await readFile(database.url);
      const withoutThread = threadCount();
      const users = (await db.get<{ c: bigint }>(countUsers))?.c ?? -1n;
      expect(await db.background.get(countUsers)).toEqual({ c: users });
      expect(threadCount()).toBeGreaterThan(withoutThread);
      await waitUntil(() => threadCount() === withoutThread);

      // A read taking longer than the idle time is answered: the thread is idle only with none in flight.
      const long = await db.background.get(longCount, [3_000_000]);
      expect(long).toEqual({ c: 3_000_000n, s: 4_500_001_500_000n });
      expect(threadCount()).toBeGreaterThan(withoutThread);
      // Reads closer together than the idle time keep the same thread.
      const running = threadCount();
      for (let i = 0; i < 4; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(await db.background.get(countUsers)).toEqual({ c: users });
        expect(threadCount()).toBe(running);
      }
      await waitUntil(() => threadCount() === withoutThread);
      await db.run(insertUser, ['after-idle']);
      expect(await db.background.get(countUsers)).toEqual({ c: users + 1n });
    } finally {
      await db.close();
    }
  });
});

/** The threads of this process, as the kernel counts them. */
const threadCount = () => readdirSync('/proc/self/task').length;

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `read` while a 5 ms timer ticks; the longest gap between ticks is how long the loop was held. */
async function loopStallDuring<T>(read: () => Promise<T>): Promise<{ result: T; longestStallMs: number }> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const result = await read();
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { result, longestStallMs: longest };
  } finally {
    clearInterval(ticker);
  }
}
