import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/app/rate-limits/rate-limiter.js';
import { setUserRateLimitPerMinute } from '../../src/app/users/set-user-rate-limit.js';
import { buildHttpServer } from '../../src/http/server.js';
import { Panel } from '../../src/panel.js';
import { type Database, sql } from '../../src/store/database.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { addRateLimitCounts, readRateLimitCounts } from '../../src/store/rate-limits.js';
import { findUserByUsername } from '../../src/store/users.js';
import { runCli } from '../support/run-cli.js';
import { TEST_DIALECT } from '../support/test-database.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

const countOrders = sql('SELECT COUNT(*) AS count FROM orders');
const countAudit = sql("SELECT COUNT(*) AS count FROM audit_log WHERE action = 'user.rate_limit'");
const countOf = async (db: Database, statement: ReturnType<typeof sql>) =>
  Number((await db.get<{ count: bigint }>(statement))!.count);

/** Sends `count` balance requests and answers how many got through (the rest must be 429s). */
async function burst(url: string, key: string, count: number): Promise<number> {
  let admitted = 0;
  for (let i = 0; i < count; i++) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `key=${key}&action=balance`,
    });
    const body = await response.text();
    if (response.status === 200) admitted++;
    else expect([response.status, body]).toEqual([429, '{"error":"Too many requests"}']);
  }
  return admitted;
}

describe('API rate limits (one server)', () => {
  let panel: TestPanel;
  let service: number;
  beforeAll(async () => {
    panel = await TestPanel.start({ rateLimitPerMinute: 3 });
    service = await panel.createService();
  });
  afterAll(() => panel.close());

  it('answers 429 with Retry-After and the exact error past the limit, and changes nothing', async () => {
    const user = await panel.customer('10');
    const add = { key: user.apiKey, action: 'add', service, link: 'https://x/a', quantity: 100 };
    for (let i = 0; i < 3; i++) expect((await panel.api(add)).json).toEqual({ order: expect.any(Number) });
    const orders = await countOf(panel.db, countOrders);
    const balance = (await findUserByUsername(panel.db, user.username))!.balance;

    panel.clock.advance(15_000);
    const response = await fetch(panel.apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(Object.entries(add).map(([k, v]) => [k, String(v)])).toString(),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('45');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.text()).toBe('{"error":"Too many requests"}');
    expect(await countOf(panel.db, countOrders)).toBe(orders);
    expect((await findUserByUsername(panel.db, user.username))!.balance).toBe(balance);

    // Every action counts, and the key is free again in the next minute.
    expect((await panel.api({ key: user.apiKey, action: 'status', order: 1 })).status).toBe(429);
    panel.clock.advance(45_000);
    expect((await panel.api({ key: user.apiKey, action: 'balance' })).json.balance).toBe('9.73000');
  });

  it('counts per user: another user is not held back, and a bad key still gets Invalid API key', async () => {
    const [a, b] = [await panel.customer(), await panel.customer()];
    expect(await burst(panel.apiUrl, a.apiKey, 5)).toBe(3);
    expect(await burst(panel.apiUrl, b.apiKey, 3)).toBe(3);
    const bad = await panel.api({ key: 'nope', action: 'balance' });
    expect([bad.status, bad.json]).toEqual([200, { error: 'Invalid API key' }]);
  });

  it("applies a user's own limit (CLI, audited), 0 as none, and --default back to the panel's", async () => {
    const user = await panel.customer();
    const audits = await countOf(panel.db, countAudit);
    const set = await runCli(['user', 'rate-limit', user.username, '--per-minute', '5'], panel.database.url);
    expect(set.code).toBe(0);
    expect(set.json()).toEqual({ username: user.username, rateLimitPerMinute: 5 });
    expect(await burst(panel.apiUrl, user.apiKey, 7)).toBe(5);

    const none = await runCli(['user', 'rate-limit', user.username, '--per-minute', '0'], panel.database.url);
    expect(none.json()).toEqual({ username: user.username, rateLimitPerMinute: 0 });
    expect(await burst(panel.apiUrl, user.apiKey, 20)).toBe(20);

    const back = await runCli(['user', 'rate-limit', user.username, '--default'], panel.database.url);
    expect(back.json()).toEqual({ username: user.username, rateLimitPerMinute: null });
    // 25 counted this minute already: over the default of 3.
    expect(await burst(panel.apiUrl, user.apiKey, 1)).toBe(0);
    expect(await countOf(panel.db, countAudit)).toBe(audits + 3);
  });

  it('refuses bad CLI input and unknown users without changing anything', async () => {
    const user = await panel.customer();
    const cases: [string[], number, RegExp][] = [
      [['user', 'rate-limit', user.username], 2, /either --per-minute N or --default/],
      [['user', 'rate-limit', user.username, '--per-minute', '5', '--default'], 2, /either/],
      [['user', 'rate-limit', user.username, '--per-minute', '-1'], 2, /whole number/],
      [['user', 'rate-limit', user.username, '--per-minute', 'ten'], 2, /whole number/],
      [['user', 'rate-limit', user.username, '--per-minute', '2000000000'], 1, /from 0 \(no limit\)/],
      [['user', 'rate-limit', 'nobody_here', '--per-minute', '5'], 1, /No user named nobody_here/],
    ];
    const audits = await countOf(panel.db, countAudit);
    for (const [args, code, message] of cases) {
      const run = await runCli(args, panel.database.url);
      expect([run.code, run.stdout], args.join(' ')).toEqual([code, '']);
      expect(run.stderr).toMatch(message);
    }
    expect(await countOf(panel.db, countAudit)).toBe(audits);
    expect(await burst(panel.apiUrl, user.apiKey, 4)).toBe(3);
  });

  it('the use case takes a user id too (for the web admin)', async () => {
    const user = await panel.customer();
    const result = await setUserRateLimitPerMinute(panel.ctx, { user: { id: user.id }, perMinute: 1 });
    expect(result).toEqual({ ok: true, value: { userId: user.id, username: user.username, perMinute: 1 } });
    expect(await burst(panel.apiUrl, user.apiKey, 2)).toBe(1);
    const missing = await setUserRateLimitPerMinute(panel.ctx, { user: { id: 999_999 }, perMinute: 1 });
    expect(missing).toEqual({ ok: false, failure: { code: 'USER_NOT_FOUND', username: '#999999' } });
  });
});

describe('API rate limits off', () => {
  it('SMMKIT_RATE_LIMIT=0 limits nobody without a limit of their own', async () => {
    const panel = await TestPanel.start({ rateLimitPerMinute: 0 });
    try {
      const user = await panel.customer();
      expect(await burst(panel.apiUrl, user.apiKey, 50)).toBe(50);
    } finally {
      await panel.close();
    }
  });
});

describe('shared rate limit counts', () => {
  let panel: TestPanel;
  const dbs: Database[] = [];
  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
  });
  afterAll(() => panel.close());

  const connect = () => {
    const db = openDatabase(parseDatabaseUrl(panel.database.url));
    dbs.push(db);
    return db;
  };

  it('adds each node’s counts per key and window and reads the totals back', async () => {
    const [one, two] = [connect(), connect()];
    const window = 60_000 * 1000;
    expect(
      await addRateLimitCounts(one, window, [
        { userId: 2, admitted: 3 },
        { userId: 1, admitted: 4 },
      ]),
    ).toEqual(
      new Map([
        [1, 4],
        [2, 3],
      ]),
    );
    expect(await addRateLimitCounts(two, window, [{ userId: 1, admitted: 5 }])).toEqual(new Map([[1, 9]]));
    expect(await readRateLimitCounts(one, window, [1, 2, 3])).toEqual(
      new Map([
        [1, 9],
        [2, 3],
      ]),
    );
    expect(await readRateLimitCounts(one, window + 60_000, [1])).toEqual(new Map());
  });

  it('two limiters on one database enforce one limit between them (within a flush)', async () => {
    const clock = panel.clock;
    const [a, b] = [connect(), connect()].map(
      (db) => new RateLimiter({ clock, defaultPerMinute: 10, shared: db }),
    ) as [RateLimiter, RateLimiter];
    const admitted = async (limiter: RateLimiter, n: number) => {
      let count = 0;
      for (let i = 0; i < n; i++) if ((await limiter.admit(42, null)) === 0) count++;
      return count;
    };
    expect(await admitted(a, 6)).toBe(6);
    await a.flush();
    // b's first request of the window reads the 6 a has shared.
    expect(await admitted(b, 6)).toBe(4);
    await b.flush();
    // a learns b's 4 at its next flush, although it admitted nothing since its last one.
    await a.flush();
    expect(await admitted(a, 1)).toBe(0);
    clock.advance(60_000);
    expect(await admitted(a, 1)).toBe(1);
    await Promise.all([a.stop(), b.stop()]);
  });
});

/** A second `serve` node: its own Panel and HTTP server on the same database. */
async function startNode(url: string, panel: TestPanel, perMinute: number) {
  const db = openDatabase(parseDatabaseUrl(url));
  const node = new Panel(db, { clock: panel.clock, rateLimitPerMinute: perMinute, rateLimitFlushMs: 50 });
  const http: FastifyInstance = buildHttpServer(node);
  await http.listen({ port: 0, host: '127.0.0.1' });
  node.rateLimiter.start();
  const { port } = http.server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/v2`,
    async close() {
      await http.close();
      await node.rateLimiter.stop();
      await db.close();
    },
  };
}

describe.runIf(TEST_DIALECT === 'postgres')('API rate limits across two servers on one PostgreSQL', () => {
  let panel: TestPanel;
  let nodes: Awaited<ReturnType<typeof startNode>>[];
  let user: TestUser;
  beforeAll(async () => {
    panel = await TestPanel.start({ rateLimitPerMinute: 10, rateLimitFlushMs: 50 });
    nodes = [await startNode(panel.database.url, panel, 10), await startNode(panel.database.url, panel, 10)];
    user = await panel.customer();
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await panel.close();
  });

  const flushed = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('enforce the limit together, whichever server a request reaches', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    expect(await burst(a.apiUrl, user.apiKey, 6)).toBe(6);
    await flushed();
    expect(await burst(b.apiUrl, user.apiKey, 6)).toBe(4);
    await flushed();
    expect(await burst(a.apiUrl, user.apiKey, 3)).toBe(0);
    expect(await burst(panel.apiUrl, user.apiKey, 3)).toBe(0);
    // Alternating between the servers, requests a second apart: still 10 in all for the next minute.
    panel.clock.advance(60_000);
    let admitted = 0;
    for (let i = 0; i < 14; i++) {
      admitted += await burst((i % 2 === 0 ? a : b).apiUrl, user.apiKey, 1);
      await flushed();
    }
    expect(admitted).toBe(10);
  });
});
