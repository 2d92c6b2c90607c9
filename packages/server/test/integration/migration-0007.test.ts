import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, dynamicSql, sql } from '../../src/store/database.js';
import { postLedgerEntry } from '../../src/store/ledger.js';
import { MIGRATIONS, migrate, renderMigration } from '../../src/store/migrations.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

/**
 * 0007 rebuilds `users` and `ledger_entries` on SQLite (a CHECK changes only so) while every other
 * table points at users: a panel upgraded with data in it keeps every row, id and reference, its
 * admin becomes the owner, and afterwards a chargeback may take a balance below zero.
 */
describe('migration 0007 (staff roles, chargebacks) on a panel with data', () => {
  let database: TestDatabase;
  let db: Database;
  const before = MIGRATIONS.findIndex((migration) => migration.id === '0007_roles_and_chargebacks');

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openDatabase(parseDatabaseUrl(database.url));
    // The schema as a panel of the previous release has it, with some history.
    await db.transaction(async (tx) => {
      await tx.run(sql('CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)'));
      for (const migration of MIGRATIONS.slice(0, before)) {
        for (const statement of renderMigration(migration, tx.dialect).split(/;\s*$/m)) {
          const text = statement.replace(/^\s*--.*$/gm, '').trim();
          if (text !== '') await tx.run(dynamicSql(text));
        }
        await tx.run(sql('INSERT INTO schema_migrations (id, applied_at) VALUES (?, 0)'), [migration.id]);
      }
      for (const [username, role] of [
        ['admin', 'admin'],
        ['alice', 'customer'],
        ['bob', 'customer'],
      ] as const) {
        await tx.run(sql('INSERT INTO users (username, role, created_at) VALUES (?, ?, 0)'), [
          username,
          role,
        ]);
      }
      await tx.run(sql("INSERT INTO users (username, role, created_at) VALUES ('carol', 'customer', 0)"));
      // Ledger entries written as that release wrote them (today's store reads columns added later).
      for (const [userId, amount, key] of [
        [2, 25_00000n, 'deposit:a'],
        [2, -90000n, 'adjustment:a'],
        [4, 5_00000n, 'deposit:c'],
      ] as const) {
        const updated = await tx.get<{ balance: bigint }>(
          sql('UPDATE users SET balance = balance + ? WHERE id = ? RETURNING balance'),
          [amount, userId],
        );
        await tx.run(
          sql(
            `INSERT INTO ledger_entries (user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
             VALUES (?, ?, ?, ?, NULL, 'before', ?, 1)`,
          ),
          [userId, amount, amount > 0n ? 'deposit' : 'adjustment', key, updated?.balance ?? null],
        );
      }
      await tx.run(
        sql("INSERT INTO api_keys (user_id, key_hash, key_prefix, created_at) VALUES (2, 'h', 'p', 0)"),
      );
      await tx.run(
        sql(
          "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ('t', 1, 'c', 0, 9)",
        ),
      );
    });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('keeps every user, id, balance, ledger entry and reference; the admin becomes the owner', async () => {
    expect(await migrate(db, 2)).toEqual(MIGRATIONS.slice(before).map((migration) => migration.id));
    const users = await db.all<{ id: bigint; username: string; role: string; balance: bigint }>(
      sql('SELECT id, username, role, balance FROM users ORDER BY id'),
    );
    expect(users).toEqual([
      { id: 1n, username: 'admin', role: 'owner', balance: 0n },
      { id: 2n, username: 'alice', role: 'customer', balance: 24_10000n },
      { id: 3n, username: 'bob', role: 'customer', balance: 0n },
      { id: 4n, username: 'carol', role: 'customer', balance: 5_00000n },
    ]);
    const entries = await db.all<{ id: bigint; user_id: bigint; entry_key: string; balance_after: bigint }>(
      sql('SELECT id, user_id, entry_key, balance_after FROM ledger_entries ORDER BY id'),
    );
    expect(entries).toEqual([
      { id: 1n, user_id: 2n, entry_key: 'deposit:a', balance_after: 25_00000n },
      { id: 2n, user_id: 2n, entry_key: 'adjustment:a', balance_after: 24_10000n },
      { id: 3n, user_id: 4n, entry_key: 'deposit:c', balance_after: 5_00000n },
    ]);
    const references = await db.get<{ keys: bigint; sessions: bigint }>(
      sql(`SELECT (SELECT COUNT(*) FROM api_keys k JOIN users u ON u.id = k.user_id) AS keys,
                  (SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id) AS sessions`),
    );
    expect(references).toEqual({ keys: 1n, sessions: 1n });
  });

  it('goes on numbering users and entries after the highest id', async () => {
    const user = await db.get<{ id: bigint }>(
      sql("INSERT INTO users (username, role, created_at) VALUES ('dave', 'manager', 3) RETURNING id"),
    );
    expect(user?.id).toBe(5n);
    const posted = await db.transaction((tx) =>
      postLedgerEntry(tx, {
        userId: 5,
        amount: 1n,
        kind: 'deposit',
        entryKey: 'deposit:d',
        orderId: null,
        memo: null,
        now: 3,
      }),
    );
    expect(posted.status).toBe('posted');
    const entry = await db.get<{ id: bigint }>(
      sql("SELECT id FROM ledger_entries WHERE entry_key = 'deposit:d'"),
    );
    expect(entry?.id).toBe(4n);
  });

  it('still refuses what the schema never allows: an unknown role or kind, a dangling reference', async () => {
    await expect(db.run(sql("UPDATE users SET role = 'admin' WHERE id = 3"))).rejects.toThrow();
    await expect(
      db.run(
        sql(
          "INSERT INTO ledger_entries (user_id, amount, kind, entry_key, balance_after, created_at) VALUES (3, 1, 'gift', 'g', 1, 0)",
        ),
      ),
    ).rejects.toThrow();
    await expect(
      db.run(
        sql("INSERT INTO api_keys (user_id, key_hash, key_prefix, created_at) VALUES (999, 'x', 'x', 0)"),
      ),
    ).rejects.toThrow();
  });

  it('lets a chargeback take a balance (and its entry) below zero; the ledger check still balances', async () => {
    await db.run(
      sql(
        "INSERT INTO ledger_entries (user_id, amount, kind, entry_key, balance_after, created_at) VALUES (3, -500, 'chargeback', 'chargeback:t', -500, 0)",
      ),
    );
    await db.run(sql('UPDATE users SET balance = balance - 500 WHERE id = 3'));
    const bob = await db.get<{ balance: bigint }>(sql('SELECT balance FROM users WHERE id = 3'));
    expect(bob?.balance).toBe(-500n);
  });
});
