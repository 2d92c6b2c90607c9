import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SmmApiClient,
  SmmHttpError,
  SmmNetworkError,
  SmmTimeoutError,
  isOutcomeUnknown,
} from '@smmkit/client';
import { keepAliveFetch } from '../../src/app/dispatch/keep-alive-fetch.js';
import { TEST_DIALECT } from '../support/test-database.js';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

/** A panel stand-in on a real port: answers as `handler` says, counting requests and connections. */
async function panel(handler: Handler) {
  const seen = { requests: 0, connections: 0, bodies: [] as string[] };
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      seen.requests++;
      seen.bodies.push(body);
      handler(request, body, response);
    });
  });
  server.on('connection', () => seen.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v2`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const client = (url: string, timeoutMs = 5000) =>
  new SmmApiClient({ url, key: 'k'.repeat(32), timeoutMs, retries: 0, fetch: keepAliveFetch });

// Plain HTTP and the client: the database is not involved, so it runs in one project.
describe.runIf(TEST_DIALECT === 'sqlite')('keepAliveFetch: provider calls over keep-alive node:http', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(() => Promise.all(closers.map((close) => close())));

  let ok: Awaited<ReturnType<typeof panel>>;
  beforeAll(async () => {
    ok = await panel((request, _body, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ balance: '12.50000', currency: 'USD' }));
    });
    closers.push(ok.close);
  });

  it('sends the form as the PHP client does and reuses one connection for calls in turn', async () => {
    for (let i = 0; i < 5; i++)
      expect(await client(ok.url).balance()).toEqual({ balance: '12.50000', currency: 'USD' });
    expect(ok.seen.requests).toBe(5);
    expect(ok.seen.connections).toBe(1);
    expect(ok.seen.bodies[0]).toBe(`key=${'k'.repeat(32)}&action=balance`);
  });

  it('a refused connection is "never sent"; a reset one "may have been sent"', async () => {
    const gone = await panel(() => undefined);
    await gone.close();
    const refused = await client(gone.url)
      .balance()
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SmmNetworkError);
    expect((refused as SmmNetworkError).requestMayHaveBeenSent).toBe(false);
    expect(isOutcomeUnknown(refused)).toBe(false);

    const reset = await panel((request) => request.socket.destroy());
    closers.push(reset.close);
    const cut = await client(reset.url)
      .balance()
      .catch((error: unknown) => error);
    expect(cut).toBeInstanceOf(SmmNetworkError);
    expect(isOutcomeUnknown(cut)).toBe(true);
  });

  it('times out on a panel that never answers, and a 5xx or a redirect is reported, not followed', async () => {
    const silent = await panel(() => undefined);
    closers.push(silent.close);
    const late = await client(silent.url, 200)
      .balance()
      .catch((error: unknown) => error);
    expect(late).toBeInstanceOf(SmmTimeoutError);
    expect(isOutcomeUnknown(late)).toBe(true);

    const failing = await panel((_request, _body, response) => {
      response.statusCode = 503;
      response.setHeader('retry-after', '7');
      response.end('{"error":"busy"}');
    });
    closers.push(failing.close);
    const busy = await client(failing.url)
      .balance()
      .catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(SmmHttpError);
    expect((busy as SmmHttpError).status).toBe(503);
    expect((busy as SmmHttpError).retryAfterMs).toBe(7000);

    const moved = await panel((_request, _body, response) => {
      response.statusCode = 302;
      response.setHeader('location', 'https://elsewhere.example/api/v2');
      response.end();
    });
    closers.push(moved.close);
    const redirect = await client(moved.url)
      .balance()
      .catch((error: unknown) => error);
    expect(redirect).toBeInstanceOf(SmmHttpError);
    expect((redirect as SmmHttpError).status).toBe(302);
    expect(moved.seen.requests).toBe(1);
  });
});
