import { once } from 'node:events';
import { type Socket, createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteDatabase } from '../../src/store/sqlite-database.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

/** A form-encoded API v2 request as raw HTTP/1.1, closing the connection when `last`. */
function rawRequest(params: Record<string, string | number>, last: boolean): string {
  const body = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  return (
    `POST /api/v2 HTTP/1.1\r\nHost: panel\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n${last ? 'Connection: close\r\n' : ''}\r\n${body}`
  );
}

/** The bodies of the HTTP/1.1 answers in `raw`, in order (each has a Content-Length). */
function answerBodies(raw: string): string[] {
  const bodies: string[] = [];
  let rest = raw;
  while (rest.length > 0) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd === -1) throw new Error(`a truncated answer: ${rest}`);
    const length = Number(/content-length: (\d+)/i.exec(rest.slice(0, headEnd))?.[1]);
    bodies.push(rest.slice(headEnd + 4, headEnd + 4 + length));
    rest = rest.slice(headEnd + 4 + length);
  }
  return bodies;
}

/** `balance` stands for any balance answer; anything else is the exact body. */
function expectAnswer(bodies: readonly string[], expected: readonly string[]): void {
  expect(bodies).toHaveLength(expected.length);
  bodies.forEach((body, i) => {
    if (expected[i] === 'balance') expect(body).toMatch(/^\{"balance":"\d+\.\d+","currency":"USD"\}$/);
    else expect(body).toBe(expected[i]);
  });
}

describe('API v2 requests that arrive in the same turn of the event loop', () => {
  let panel: TestPanel;
  const users: TestUser[] = [];
  /** Each user's order, and what `status` answers for it. */
  const orders: { order: number; status: string }[] = [];

  beforeAll(async () => {
    panel = await TestPanel.start();
    const service = await panel.createService({ rate: '1' });
    for (let i = 0; i < 4; i++) {
      const user = await panel.customer('100');
      users.push(user);
      const add = await panel.api({
        key: user.apiKey,
        action: 'add',
        service,
        link: 'https://x.test/t',
        quantity: 100 * (i + 1),
      });
      const order = add.json.order as number;
      const status = await panel.api({ key: user.apiKey, action: 'status', order });
      orders.push({ order, status: status.text });
    }
  });
  afterAll(() => panel.close());

  const port = () => Number(new URL(panel.baseUrl).port);

  async function connected(): Promise<{ socket: Socket; received: Promise<string> }> {
    const socket = createConnection({ host: '127.0.0.1', port: port() });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    const received = once(socket, 'close').then(() => text);
    await once(socket, 'connect');
    return { socket, received };
  }

  /** Sends the requests on one connection in one write; the answers' bodies, in order. */
  async function pipelined(requests: readonly Record<string, string | number>[]): Promise<string[]> {
    const { socket, received } = await connected();
    socket.write(requests.map((params, i) => rawRequest(params, i === requests.length - 1)).join(''));
    return answerBodies(await received);
  }

  /** What each request should be answered, and the request: statuses, balances, a bad key, another's order. */
  function mixedRequests(count: number): { params: Record<string, string | number>; expected: string }[] {
    return Array.from(
      { length: count },
      (_, i): { params: Record<string, string | number>; expected: string } => {
        const user = users[i % users.length]!;
        const own = orders[i % users.length]!;
        switch (i % 5) {
          case 0:
          case 1:
            return { params: { key: user.apiKey, action: 'status', order: own.order }, expected: own.status };
          case 2:
            return { params: { key: user.apiKey, action: 'balance' }, expected: 'balance' };
          case 3:
            return {
              params: { key: 'no-such-key', action: 'status', order: own.order },
              expected: '{"error":"Invalid API key"}',
            };
          default: {
            const others = orders[(i + 1) % users.length]!;
            return {
              params: { key: user.apiKey, action: 'status', order: others.order },
              expected: '{"error":"Incorrect order ID"}',
            };
          }
        }
      },
    );
  }

  it('answers each of many requests sent at once on their own connections with its own answer', async () => {
    const requests = mixedRequests(40);
    const sockets = await Promise.all(requests.map(() => connected()));
    sockets.forEach(({ socket }, i) => socket.write(rawRequest(requests[i]!.params, true)));
    const answers = await Promise.all(sockets.map(({ received }) => received));
    answers.forEach((raw, i) => expectAnswer(answerBodies(raw), [requests[i]!.expected]));
  });

  it('answers pipelined requests on one connection in order, each with its own answer (on SQLite, reads shared)', async () => {
    const sqlite = panel.db instanceof SqliteDatabase ? panel.db : null;
    const sharedBefore = sqlite?.sharedReadTransactions ?? 0;
    const requests = mixedRequests(10);
    // One write: the server reads them in one turn, answers the first at once and the others at its end.
    expectAnswer(
      await pipelined(requests.map((request) => request.params)),
      requests.map((request) => request.expected),
    );
    if (sqlite !== null) expect(sqlite.sharedReadTransactions).toBeGreaterThan(sharedBefore);
  });

  it("an order placed is found by a status answered at a turn's end with other requests (no reader left on an old snapshot)", async () => {
    const user = users[0]!;
    const service = await panel.createService({ rate: '1' });
    const add = await panel.api({
      key: user.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/n',
      quantity: 10,
    });
    const order = add.json.order as number;
    const requests = mixedRequests(8);
    const bodies = await pipelined([
      ...requests.map((request) => request.params),
      { key: user.apiKey, action: 'status', order },
    ]);
    expectAnswer(
      bodies.slice(0, -1),
      requests.map((request) => request.expected),
    );
    expect(JSON.parse(bodies.at(-1)!)).toMatchObject({ status: 'Pending', remains: '10' });
  });
});
