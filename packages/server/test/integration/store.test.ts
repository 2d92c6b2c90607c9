import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, sql, sqlValues } from '../../src/store/database.js';
import { postLedgerEntry } from '../../src/store/ledger.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { findUserById, insertUser } from '../../src/store/users.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

const selectBalance = sql('SELECT balance FROM users WHERE id = ?');
const countEntries = sql('SELECT COUNT(*) AS count FROM ledger_entries WHERE user_id = ?');

describe('store', () => {
  let database: TestDatabase;
  let db: Database;
  let username = 0;
  const newUser = async () =>
    (await insertUser(db, { username: `store${++username}`, passwordHash: null, role: 'customer', now: 0 }))!;
  const balanceOf = async (id: number) => (await db.get<{ balance: bigint }>(selectBalance, [id]))!.balance;
  const entriesOf = async (id: number) =>
    Number((await db.get<{ count: bigint }>(countEntries, [id]))!.count);
  const entry = (userId: number, amount: bigint, entryKey: string) => ({
    userId,
    amount,
    kind: amount > 0n ? ('deposit' as const) : ('adjustment' as const),
    entryKey,
    orderId: null,
    memo: null,
    now: 0,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openDatabase(parseDatabaseUrl(database.url));
    await migrate(db, 0);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('migrations are idempotent and safe to run from two connections at once', async () => {
    const other = openDatabase(parseDatabaseUrl(database.url));
    try {
      const results = await Promise.all([migrate(db, 1), migrate(other, 1), migrate(db, 1)]);
      expect(results).toEqual([[], [], []]);
      const applied = await db.all<{ id: string }>(sql('SELECT id FROM schema_migrations ORDER BY id'));
      expect(applied.map((row) => row.id)).toEqual(MIGRATIONS.map((m) => m.id));
    } finally {
      await other.close();
    }
  });

  it('answers a values statement as arrays in select order, on reads and in transactions; the same text read as objects stays objects', async () => {
    const user = await newUser();
    const name = `store${username}`;
    await db.transaction((tx) => postLedgerEntry(tx, entry(user, 700n, `values:${user}`)));
    const text = 'SELECT balance, username, id FROM users WHERE id = ?';
    const asValues = sqlValues(text);
    const asObjects = sql(text);
    expect(await db.get(asValues, [user])).toEqual([700n, name, BigInt(user)]);
    expect(await db.all(asValues, [user])).toEqual([[700n, name, BigInt(user)]]);
    expect(await db.transaction((tx) => tx.get(asValues, [user]))).toEqual([700n, name, BigInt(user)]);
    expect(await db.get(asObjects, [user])).toEqual({ balance: 700n, username: name, id: BigInt(user) });
    // Again after the objects read, which prepared the same text: each keeps its own shape.
    expect(await db.get(asValues, [user])).toEqual([700n, name, BigInt(user)]);
    expect(await db.get(asValues, [-1])).toBeUndefined();
    expect(await db.all(asValues, [-1])).toEqual([]);
  });

  it('rolls a transaction back whole when it throws', async () => {
    const user = await newUser();
    await expect(
      db.transaction(async (tx) => {
        expect((await postLedgerEntry(tx, entry(user, 500n, `rollback:${user}`))).status).toBe('posted');
        throw new Error('after the write');
      }),
    ).rejects.toThrow('after the write');
    expect(await balanceOf(user)).toBe(0n);
    expect(await entriesOf(user)).toBe(0);
  });

  it('keeps concurrent transactions independent: one failing never undoes the others', async () => {
    const user = await newUser();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction(async (tx) => {
          await postLedgerEntry(tx, entry(user, 100n, `independent:${user}:${i}`));
          if (i % 3 === 0) throw new Error(`fail ${i}`);
          return i;
        }),
      ),
    );
    const kept = outcomes.filter((o) => o.status === 'fulfilled').length;
    expect(kept).toBe(13);
    expect(await balanceOf(user)).toBe(1300n);
    expect(await entriesOf(user)).toBe(13);
  });

  it('posts a ledger entry key once, and never takes a balance below zero', async () => {
    const user = await newUser();
    const post = (amount: bigint, key: string) =>
      db.transaction((tx) => postLedgerEntry(tx, entry(user, amount, key)));
    expect(await post(1000n, `once:${user}`)).toEqual({
      status: 'posted',
      balance: 1000n,
      lowBalanceThreshold: null,
    });
    expect(await post(1000n, `once:${user}`)).toEqual({ status: 'duplicate' });
    expect(await post(-1001n, `debit:${user}`)).toEqual({ status: 'insufficient' });
    expect(await post(-1000n, `debit:${user}`)).toEqual({
      status: 'posted',
      balance: 0n,
      lowBalanceThreshold: null,
    });
    expect(await balanceOf(user)).toBe(0n);
    expect(await entriesOf(user)).toBe(2);
  });

  it('keeps money exact beyond 2^53 units', async () => {
    const user = await newUser();
    const huge = 2n ** 62n + 12_345n;
    await db.transaction((tx) => postLedgerEntry(tx, entry(user, huge, `huge:${user}`)));
    expect(await balanceOf(user)).toBe(huge);
    expect((await findUserById(db, user))!.balance).toBe(huge);
  });

  it('takes a balance below zero by a chargeback only, never by any other entry', async () => {
    const user = await newUser();
    for (const kind of ['charge', 'adjustment', 'refund', 'deposit', 'bonus', 'affiliate_payout'] as const) {
      const posting = await db.transaction((tx) =>
        postLedgerEntry(tx, { ...entry(user, -1n, `${kind}:below:${user}`), kind }),
      );
      expect(posting).toEqual({ status: 'insufficient' });
    }
    const chargeback = await db.transaction((tx) =>
      postLedgerEntry(tx, { ...entry(user, -700n, `chargeback:below:${user}`), kind: 'chargeback' }),
    );
    expect(chargeback).toEqual({ status: 'posted', balance: -700n, lowBalanceThreshold: null });
    expect(await balanceOf(user)).toBe(-700n);
    expect(await entriesOf(user)).toBe(1);
  });
});
