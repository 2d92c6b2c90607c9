import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpServer } from '../../src/http/server.js';
import { Panel } from '../../src/panel.js';
import type { Database } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly reqId?: string;
  readonly [field: string]: unknown;
}

/** A server on the test panel's database whose JSON log lines are kept. */
async function loggedServer(db: Database, panel: TestPanel, logRequests: boolean) {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n'))
        if (text !== '') lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  const node = new Panel(db, { clock: panel.clock });
  const http: FastifyInstance = buildHttpServer(node, { logger: { level: 'info', stream }, logRequests });
  await http.listen({ port: 0, host: '127.0.0.1' });
  const { port } = http.server.address() as AddressInfo;
  return { lines, url: `http://127.0.0.1:${port}`, http };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/v2`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });

describe('request ids and JSON logs', () => {
  let panel: TestPanel;
  let user: TestUser;
  beforeAll(async () => {
    panel = await TestPanel.start();
    user = await panel.customer();
  });
  afterAll(() => panel.close());

  it('echoes a sane X-Request-Id, replaces a bad one, and generates one when there is none', async () => {
    const given = await post(panel.baseUrl, `key=${user.apiKey}&action=balance`, {
      'x-request-id': 'lb-7f3a.1',
    });
    expect(given.headers.get('x-request-id')).toBe('lb-7f3a.1');
    const bad = await post(panel.baseUrl, `key=${user.apiKey}&action=balance`, { 'x-request-id': 'a b"c' });
    const none = await post(panel.baseUrl, `key=${user.apiKey}&action=balance`);
    const generated = [bad.headers.get('x-request-id'), none.headers.get('x-request-id')];
    for (const id of generated) expect(id).toMatch(/^[\w-]{8}-[0-9a-z]+$/);
    expect(generated[0]).not.toBe(generated[1]);
    // Fastify's routes too, and error answers.
    const health = await fetch(`${panel.baseUrl}/healthz`, { headers: { 'x-request-id': 'probe-1' } });
    expect(health.headers.get('x-request-id')).toBe('probe-1');
    expect((await fetch(`${panel.baseUrl}/nowhere`)).headers.get('x-request-id')).toMatch(/^[\w-]{8}-/);
    const tooLarge = await post(panel.baseUrl, `pad=${'x'.repeat(1024 * 1024)}`, { 'x-request-id': 'big-1' });
    expect([tooLarge.status, tooLarge.headers.get('x-request-id')]).toEqual([413, 'big-1']);
  });

  it('logs nothing per request by default, but every failure with its request id', async () => {
    const db = openDatabase(parseDatabaseUrl(panel.database.url));
    await migrate(db, panel.clock.now());
    const server = await loggedServer(db, panel, false);
    try {
      expect(
        (await post(server.url, `key=${user.apiKey}&action=balance`, { 'x-request-id': 'ok-1' })).status,
      ).toBe(200);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(server.lines.filter((line) => line.reqId !== undefined)).toEqual([]);

      // A fault: the database is gone. The client gets a bare 500; the log gets the details and the id.
      await db.close();
      const failed = await post(server.url, `key=${user.apiKey}&action=balance`, {
        'x-request-id': 'fault-1',
      });
      expect([failed.status, await failed.text()]).toEqual([500, '{"error":"Internal server error"}']);
      const errors = server.lines.filter((line) => line.level >= 50);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        msg: 'request failed',
        reqId: 'fault-1',
        url: '/api/v2',
        action: 'balance',
      });
      expect(JSON.stringify(errors[0])).not.toContain(user.apiKey);
    } finally {
      await server.http.close();
    }
  });

  it('with SMMKIT_LOG_REQUESTS, one line per request with its id, and never the query string (keys)', async () => {
    const db = openDatabase(parseDatabaseUrl(panel.database.url));
    const server = await loggedServer(db, panel, true);
    try {
      await fetch(`${server.url}/api/v2?key=${user.apiKey}&action=balance`, {
        headers: { 'x-request-id': 'get-1' },
      });
      await post(server.url, `key=${user.apiKey}&action=nope`, { 'x-request-id': 'post-1' });
      await fetch(`${server.url}/metrics?key=${user.apiKey}`, { headers: { 'x-request-id': 'metrics-1' } });
      const byId = (id: string) => server.lines.filter((line) => line.reqId === id);
      expect(byId('get-1')).toEqual([
        expect.objectContaining({
          msg: 'request completed',
          url: '/api/v2',
          action: 'balance',
          statusCode: 200,
          failed: false,
        }),
      ]);
      expect(byId('post-1')).toEqual([
        expect.objectContaining({ action: 'nope', statusCode: 200, failed: true }),
      ]);
      // Fastify's own lines for its routes: the incoming request and its completion, same id.
      const metricsLines = byId('metrics-1');
      expect(metricsLines.map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
      expect(JSON.stringify(server.lines)).not.toContain(user.apiKey);
    } finally {
      await server.http.close();
      await db.close();
    }
  });
});
