import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamicSql } from '../../src/store/database.js';
import { SqliteDatabase } from '../../src/store/sqlite-database.js';
import { TEST_DIALECT, type TestDatabase, createTestDatabase } from '../support/test-database.js';

describe.runIf(TEST_DIALECT === 'sqlite')('SQLite keeps dynamic statements prepared, by their text', () => {
  let database: TestDatabase;
  let db: SqliteDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    db = new SqliteDatabase({ filename: database.url, synchronous: 'normal' });
    await db.transaction(async (tx) => {
      await tx.run(dynamicSql('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)'));
      await tx.run(dynamicSql("INSERT INTO items (name) VALUES ('a'), ('b'), ('c')"));
    });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('prepares a dynamic read once on the reader, however often the same text is built and run', async () => {
    const before = db.dynamicStatementsKept.reader;
    for (let i = 0; i < 50; i++) {
      // A new Statement object each call, as a listing builds its SQL per request.
      const rows = await db.all(dynamicSql('SELECT name FROM items WHERE id > ? ORDER BY id'), [i % 2]);
      expect(rows).toEqual(
        i % 2 === 0 ? [{ name: 'a' }, { name: 'b' }, { name: 'c' }] : [{ name: 'b' }, { name: 'c' }],
      );
    }
    expect(db.dynamicStatementsKept.reader).toBe(before + 1);
  });

  it('keeps at most 256 texts, the least recently used dropped first, and an evicted text still runs', async () => {
    const hot = dynamicSql('SELECT COUNT(*) AS n FROM items');
    for (let i = 0; i < 400; i++) {
      expect(await db.get(dynamicSql(`SELECT ${i} AS v FROM items LIMIT 1`))).toEqual({ v: BigInt(i) });
      // Used between every other text: never the least recently used, never dropped.
      if (i % 100 === 0) expect(await db.get(hot)).toEqual({ n: 3n });
    }
    expect(db.dynamicStatementsKept.reader).toBe(256);
    // The first texts were dropped: built again, they are prepared again and answer the same.
    expect(await db.get(dynamicSql('SELECT 0 AS v FROM items LIMIT 1'))).toEqual({ v: 0n });
    expect(db.dynamicStatementsKept.reader).toBe(256);
  });

  it('a kept statement sees a schema change made after it was prepared', async () => {
    const selectAll = 'SELECT * FROM items WHERE id = 1';
    expect(await db.get(dynamicSql(selectAll))).toEqual({ id: 1n, name: 'a' });
    await db.transaction((tx) =>
      tx.run(dynamicSql("ALTER TABLE items ADD COLUMN note TEXT NOT NULL DEFAULT 'n'")),
    );
    expect(await db.get(dynamicSql(selectAll))).toEqual({ id: 1n, name: 'a', note: 'n' });
  });

  it('a dynamic write through the writer is kept on the writer and changes what it should, each time', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await db.run(dynamicSql('UPDATE items SET name = name || ? WHERE id = 2'), ['!'])).toBe(1);
    }
    expect(await db.get(dynamicSql('SELECT name FROM items WHERE id = 2'))).toEqual({ name: 'b!!!' });
    expect(db.dynamicStatementsKept.writer).toBeGreaterThanOrEqual(1);
  });
});
