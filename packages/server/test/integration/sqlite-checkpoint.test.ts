import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';
import { TEST_DIALECT, type TestDatabase, createTestDatabase } from '../support/test-database.js';

// The checkpoint thread loads compiled JavaScript, so this test drives the built store (`npm test` builds first).
const { SqliteDatabase } = await import('../../dist/store/sqlite-database.js');

const insertUser = sql("INSERT INTO users (username, role, created_at) VALUES (?, 'customer', 0)");

describe.runIf(TEST_DIALECT === 'sqlite')('SQLite WAL checkpoints on their own thread', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database.drop());

  it('commits never checkpoint; the thread copies the WAL into the database file, and close stops it', async () => {
    const db = new SqliteDatabase({ filename: database.url, checkpointThread: true });
    expect(db.checkpointsOnThread).toBe(true);
    await migrate(db, 0);
    // Let the thread take the migration's pages first, so what follows is measured on its own.
    await expect.poll(() => walPagesPending(database.url), { timeout: 5000 }).toBe(false);
    const before = statSync(database.url).size;
    await Promise.all(
      Array.from({ length: 400 }, (_, i) => db.run(insertUser, [`checkpoint-user-${i}-${'x'.repeat(200)}`])),
    );
    // The commits left everything in the WAL: the database file has not grown.
    expect(statSync(database.url).size).toBe(before);
    await expect.poll(() => statSync(database.url).size, { timeout: 5000 }).toBeGreaterThan(before);
    await db.close();
    expect(db.checkpointsOnThread).toBe(false);
  });
});

/** Whether the WAL holds frames the database file does not have yet (read-only check). */
function walPagesPending(filename: string): boolean {
  const walSize = statSync(`${filename}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  return walSize > 0 && statSync(filename).size === 0;
}
