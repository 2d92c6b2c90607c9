import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/app/users/create-user.js';
import { type Database, dynamicSql, sql } from '../../src/store/database.js';
import { MIGRATIONS, migrate, renderMigration } from '../../src/store/migrations.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';
import { TestPanel } from '../support/test-panel.js';
import { WebClient } from '../support/web-client.js';

const countUsers = sql('SELECT COUNT(*) AS count FROM users');

describe('sign-up throttle, username uniqueness and reserved names', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start({ signIn: { challenge: false, signUpsPerHour: 3 } });
  });
  afterAll(() => panel.close());

  async function users(): Promise<bigint> {
    return (await panel.db.get<{ count: bigint }>(countUsers))!.count;
  }

  it('refuses names that differ only in case or Unicode width, and reserved names; the CLI may still create those', async () => {
    expect(
      (await createUser(panel.ctx, { username: 'Alice', password: 'long enough pw', role: 'customer' })).ok,
    ).toBe(true);
    for (const spelling of ['alice', 'ALICE', 'ａｌｉｃｅ']) {
      const taken = await createUser(panel.ctx, {
        username: spelling,
        password: 'long enough pw',
        role: 'customer',
      });
      expect(taken).toMatchObject({ ok: false, failure: { code: 'USERNAME_TAKEN' } });
    }
    const web = new WebClient(panel.baseUrl);
    for (const name of ['admin', 'Administrator', 'ＲＯＯＴ', 'support', 'System']) {
      const refused = await web.post('/signup', {
        username: name,
        email: `${name}@example.com`,
        password: 'long enough pw',
      });
      expect(refused.status).toBe(400);
      expect(refused.json.code).toBe('USERNAME_RESERVED');
    }
    // The owner, at the command line, may name staff so.
    expect(
      (await createUser(panel.ctx, { username: 'support', password: 'long enough pw', role: 'support' })).ok,
    ).toBe(true);
    // A login in another case or width reaches the same account.
    expect((await new WebClient(panel.baseUrl).login('ALICE', 'long enough pw')).status).toBe(200);
    expect((await new WebClient(panel.baseUrl).login('ａｌｉｃｅ', 'long enough pw')).status).toBe(200);
  });

  it('throttles sign-ups per address (SMMKIT_SIGNUP_LIMIT per hour), before any password is hashed, under concurrency', async () => {
    const before = await users();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        new WebClient(panel.baseUrl).post('/signup', {
          username: `burst_${i}`,
          email: `burst_${i}@example.com`,
          password: 'long enough pw',
        }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
    const throttled = answers.filter((answer) => answer.status === 429);
    expect(throttled).toHaveLength(9);
    expect(throttled[0]!.json).toEqual({
      code: 'SIGNUP_THROTTLED',
      error: 'Too many sign-ups from your address: try again in 3600 seconds',
      params: { retryAfterSeconds: 3600 },
    });
    expect(throttled[0]!.headers.get('retry-after')).toBe('3600');
    expect(await users()).toBe(before + 3n);

    panel.clock.advance(60 * 60 * 1000 + 1);
    expect(
      (
        await new WebClient(panel.baseUrl).post('/signup', {
          username: 'later_1',
          email: 'later_1@example.com',
          password: 'long enough pw',
        })
      ).status,
    ).toBe(200);
  });
});

describe('migration 0010 on a panel whose usernames differ only in case', () => {
  let database: TestDatabase;
  let db: Database;
  const before = MIGRATIONS.findIndex((migration) => migration.id === '0010_sign_in');

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openDatabase(parseDatabaseUrl(database.url));
    await db.transaction(async (tx) => {
      await tx.run(sql('CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)'));
      for (const migration of MIGRATIONS.slice(0, before)) {
        for (const statement of renderMigration(migration, tx.dialect).split(/;\s*$/m)) {
          const text = statement.replace(/^\s*--.*$/gm, '').trim();
          if (text !== '') await tx.run(dynamicSql(text));
        }
        await tx.run(sql('INSERT INTO schema_migrations (id, applied_at) VALUES (?, 0)'), [migration.id]);
      }
      for (const name of ['admin', 'Admin', 'bob', 'ADMIN', 'Bob'])
        await tx.run(sql("INSERT INTO users (username, role, created_at) VALUES (?, 'customer', 0)"), [name]);
    });
    await migrate(db, 1);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('keeps every account; the oldest of each spelling holds the plain key, later ones <key>#<id>', async () => {
    const rows = await db.all<{ id: bigint; username: string; username_key: string }>(
      sql('SELECT id, username, username_key FROM users ORDER BY id'),
    );
    expect(rows.map((row) => [row.username, row.username_key])).toEqual([
      ['admin', 'admin'],
      ['Admin', 'admin#2'],
      ['bob', 'bob'],
      ['ADMIN', 'admin#4'],
      ['Bob', 'bob#5'],
    ]);
  });
});
