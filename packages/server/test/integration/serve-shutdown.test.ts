import { once } from 'node:events';
import { type Socket, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { startServe } from '../support/run-cli.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

const countOrders = sql('SELECT COUNT(*) AS count FROM orders WHERE user_id = ?');

/** An API request whose body arrives in two parts: in flight until the second is sent. */
class SlowRequest {
  private readonly socket: Socket;
  private received = '';
  private readonly closed: Promise<void>;

  constructor(
    port: number,
    private readonly body: string,
  ) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setEncoding('utf8').on('data', (chunk: string) => (this.received += chunk));
    this.closed = once(this.socket, 'close').then(() => undefined);
    this.socket.write(
      `POST /api/v2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `X-Request-Id: slow-${port}-${body.length}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
        body.slice(0, 10),
    );
  }

  /** Sends the rest of the body; resolves with the answer once the server closed the connection. */
  async finish(): Promise<{ head: string; body: string }> {
    this.socket.write(this.body.slice(10));
    await this.closed;
    const split = this.received.indexOf('\r\n\r\n');
    return { head: this.received.slice(0, split), body: this.received.slice(split + 4) };
  }
}

const port = (url: string) => Number(new URL(url).port);

/** The real `smmkit serve` process, stopped with SIGTERM while requests are in flight. */
describe('smmkit serve on SIGTERM', () => {
  let panel: TestPanel;
  let user: TestUser;
  let service: number;
  beforeAll(async () => {
    panel = await TestPanel.start();
    panel.clock.set(Date.now());
    user = await panel.customer('10');
    service = await panel.createService({ rate: '1' });
  });
  afterAll(() => panel.close());

  it('stops accepting, finishes in-flight requests, stops the worker, closes the database and exits 0', async () => {
    const served = await startServe(['--port', '0'], panel.database.url, { SMMKIT_DISPATCH_INTERVAL: '1' });
    served.child.removeAllListeners('exit');
    const exited = once(served.child, 'exit') as Promise<[number | null, string | null]>;
    const p = port(served.url);
    // A kept-alive connection that is idle when the signal comes must not hold the process either.
    const keepAlive = await fetch(`${served.url}/healthz`);
    expect(keepAlive.headers.get('x-request-id')).toMatch(/^[\w-]+-[0-9a-z]+$/);

    const inFlight = [
      new SlowRequest(p, `key=${user.apiKey}&action=balance`),
      new SlowRequest(p, `key=${user.apiKey}&action=add&service=${service}&link=https://x/slow&quantity=100`),
      new SlowRequest(p, `key=${user.apiKey}&action=services`),
    ];
    await new Promise((resolve) => setTimeout(resolve, 300));
    served.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));

    // No longer accepting…
    await expect(fetch(`${served.url}/healthz`)).rejects.toThrow();
    expect(served.child.exitCode).toBe(null);
    // …but what was in flight is answered in full, and says the connection closes.
    const [balance, add, services] = await Promise.all(inFlight.map((request) => request.finish()));
    for (const answer of [balance, add, services]) {
      expect(answer!.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(answer!.head.toLowerCase()).toContain('connection: close');
    }
    expect(JSON.parse(balance!.body)).toEqual({ balance: expect.any(String), currency: 'USD' });
    expect(JSON.parse(add!.body)).toEqual({ order: expect.any(Number) });
    expect(JSON.parse(services!.body)).toHaveLength(1);
    expect(balance!.head.toLowerCase()).toMatch(/x-request-id: slow-\d+-\d+/);

    const [code, signal] = await exited;
    expect([code, signal]).toEqual([0, null]);
    const orders = await panel.db.get<{ count: bigint }>(countOrders, [user.id]);
    expect(orders!.count).toBe(1n);

    // One JSON object per line, in order: serving, shutting down, stopped.
    const lines = served.logLines().map((line) => JSON.parse(line) as { msg: string; level: number });
    const messages = lines.map((line) => line.msg);
    expect(messages).toContain('smmkit is serving');
    expect(messages.indexOf('shutting down')).toBeGreaterThan(messages.indexOf('smmkit is serving'));
    expect(messages.at(-1)).toBe('stopped');
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  });
});
