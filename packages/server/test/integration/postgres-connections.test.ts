import { afterAll, describe, expect, it } from 'vitest';
import { type Database, sql } from '../../src/store/database.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { TEST_DIALECT, type TestDatabase, createTestDatabase } from '../support/test-database.js';

const showJit = sql('SHOW jit');

/**
 * Issue 17 item 4: at ten million orders PostgreSQL JIT-compiled each page of the order list (the
 * planner prices LIMIT 25 over an index scan above `jit_above_cost`): 134 ms a page, 3 ms without.
 * Every pooled connection the server opens has it off, whatever the server's default.
 */
describe.runIf(TEST_DIALECT === 'postgres')('PostgreSQL connections', () => {
  let database: TestDatabase;
  let db: Database;
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('each pooled connection runs without JIT, from its first query', async () => {
    database = await createTestDatabase();
    // Sessions asked to start with JIT on, whatever the server's default: the pool turns it off.
    const url = new URL(database.url);
    url.searchParams.set('options', `${url.searchParams.get('options') ?? ''} -c jit=on`.trim());
    db = openDatabase(parseDatabaseUrl(url.toString()), { maxConnections: 4 });
    // Four transactions at once hold four connections, each asked first thing.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const settings = Array.from({ length: 4 }, () =>
      db.transaction(async (tx) => {
        const row = await tx.get<{ jit: string }>(showJit);
        if (++started === 4) release();
        await held;
        return row?.jit;
      }),
    );
    expect(await Promise.all(settings)).toEqual(['off', 'off', 'off', 'off']);
    expect((await db.get<{ jit: string }>(showJit))?.jit).toBe('off');
  });
});
