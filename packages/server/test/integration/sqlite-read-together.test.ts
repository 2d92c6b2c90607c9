import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerTurn } from '../../src/http/api-v2/answer-turn.js';
import { dynamicSql } from '../../src/store/database.js';
import { SqliteDatabase } from '../../src/store/sqlite-database.js';
import { TEST_DIALECT, type TestDatabase, createTestDatabase } from '../support/test-database.js';

const readValue = dynamicSql('SELECT value FROM counter WHERE id = 1');
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe.runIf(TEST_DIALECT === 'sqlite')('SQLite reads made together share one read transaction', () => {
  let database: TestDatabase;
  let db: SqliteDatabase;
  /** Another process's connection: its writes commit at once, outside `db`'s group commit. */
  let other: BetterSqlite3.Database;
  const errors: unknown[] = [];
  const log = { error: (details: { err?: unknown }) => void errors.push(details.err) };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    db = new SqliteDatabase({ filename: database.url, synchronous: 'normal' });
    await db.transaction(async (tx) => {
      await tx.run(dynamicSql('CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)'));
      await tx.run(dynamicSql('INSERT INTO counter (id, value) VALUES (1, 0)'));
    });
    other = new BetterSqlite3(database.url);
  });
  afterAll(async () => {
    other.close();
    await db.close();
    await database.drop();
  });

  const together = <T>(fn: () => T): T => {
    if (db.readTogether === undefined) throw new Error('a file database shares reads');
    return db.readTogether(fn);
  };
  const setValue = (value: number) => other.prepare('UPDATE counter SET value = ? WHERE id = 1').run(value);
  const value = () => Number((db.getEager<{ value: bigint }>(readValue) as { value: bigint }).value);

  it('sees commits made before its first read, none made after it, and every one once it returns', () => {
    setValue(1);
    const before = db.sharedReadTransactions;
    const seen = together(() => {
      const first = value();
      setValue(2);
      return [first, value()];
    });
    expect(seen).toEqual([1, 1]);
    expect(db.sharedReadTransactions).toBe(before + 1);
    expect(value()).toBe(2);
  });

  it('opens no transaction when nothing is read, and a nested call shares the outer one', () => {
    const before = db.sharedReadTransactions;
    expect(together(() => 'nothing read')).toBe('nothing read');
    expect(db.sharedReadTransactions).toBe(before);
    setValue(3);
    const seen = together(() => {
      const outer = value();
      setValue(4);
      return [outer, together(() => value())];
    });
    expect(seen).toEqual([3, 3]);
    expect(db.sharedReadTransactions).toBe(before + 1);
    expect(value()).toBe(4);
  });

  it('ends its transaction when a read in it fails while running, so later reads see later commits', async () => {
    setValue(5);
    expect(() =>
      together(() => {
        value();
        // Prepared fine; fails only when SQLite runs it, inside the open transaction.
        db.getEager(dynamicSql("SELECT json_extract('not json', '$.a') AS broken FROM counter"));
      }),
    ).toThrow(/malformed JSON/);
    setValue(6);
    expect(value()).toBe(6);
    // The writer is not held up by a reader left in a transaction either.
    await db.transaction((tx) => tx.run(dynamicSql('UPDATE counter SET value = 7 WHERE id = 1')));
    expect(value()).toBe(7);
  });

  it('AnswerTurn: the first request of a turn is answered at once, the rest at its end, together', async () => {
    setValue(10);
    const turn = new AnswerTurn(db, log);
    const seen: string[] = [];
    const before = db.sharedReadTransactions;
    turn.admit(() => seen.push(`first ${value()}`));
    expect(seen).toEqual(['first 10']);
    // Arrives after a commit: it must see it, though the turn began before.
    setValue(11);
    turn.admit(() => {
      seen.push(`second ${value()}`);
      // A commit made while the turn's requests are answered: the rest of the turn does not see it.
      setValue(12);
    });
    turn.admit(() => seen.push(`third ${value()}`));
    expect(seen).toEqual(['first 10']);
    await nextTurn();
    expect(seen).toEqual(['first 10', 'second 11', 'third 11']);
    expect(db.sharedReadTransactions).toBe(before + 1);
    expect(value()).toBe(12);
    // The next turn starts over: its first request is answered at once again.
    turn.admit(() => seen.push(`next ${value()}`));
    expect(seen.at(-1)).toBe('next 12');
    await nextTurn();
  });

  it('AnswerTurn: one failing answer is logged, and the others of its turn are still answered', async () => {
    errors.length = 0;
    const turn = new AnswerTurn(db, log);
    const seen: number[] = [];
    turn.admit(() => seen.push(value()));
    turn.admit(() => {
      throw new Error('boom');
    });
    turn.admit(() => seen.push(value()));
    await nextTurn();
    expect(seen).toHaveLength(2);
    expect(errors).toEqual([new Error('boom')]);
    setValue(20);
    expect(value()).toBe(20);
  });

  it('in memory, where the reader is the writer, shares nothing and AnswerTurn answers each request at once', async () => {
    const memory = new SqliteDatabase({ filename: ':memory:' });
    try {
      expect(memory.readTogether).toBeUndefined();
      const turn = new AnswerTurn(memory, log);
      const seen: number[] = [];
      turn.admit(() => seen.push(1));
      turn.admit(() => seen.push(2));
      expect(seen).toEqual([1, 2]);
      await nextTurn();
    } finally {
      await memory.close();
    }
  });
});
