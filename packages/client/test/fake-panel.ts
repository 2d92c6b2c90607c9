/**
 * A real HTTP server on 127.0.0.1 that records what the client sends and answers as told, so the
 * tests exercise the client's actual fetch, encoding and socket handling.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The decoded form fields, in the order sent. */
  form: [string, string][];
}

export type Reply =
  | { status?: number; headers?: Record<string, string>; body: string }
  /** Read the request, never answer. */
  | 'hang'
  /** Read the request, then cut the connection. */
  | 'drop'
  /** Send the status line, headers and part of a body, then nothing more. */
  | 'stall';

export type Responder = Reply | readonly Reply[] | ((request: RecordedRequest, index: number) => Reply);

export interface FakePanel {
  url: string;
  requests: RecordedRequest[];
}

export function json(value: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

function isReplyList(responder: Reply | readonly Reply[]): responder is readonly Reply[] {
  return Array.isArray(responder);
}

/** Starts a panel stub that is closed when the current test ends. */
export async function startFakePanel(responder: Responder): Promise<FakePanel> {
  const requests: RecordedRequest[] = [];
  const replyTo = (request: RecordedRequest, index: number): Reply => {
    if (typeof responder === 'function') return responder(request, index);
    if (!isReplyList(responder)) return responder;
    // The last reply repeats, so `[failure, success]` means "fail once".
    const reply = responder[Math.min(index, responder.length - 1)];
    if (reply === undefined) throw new Error('empty reply list');
    return reply;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        form: [...new URLSearchParams(body)],
      };
      requests.push(recorded);
      const reply = replyTo(recorded, requests.length - 1);
      if (reply === 'hang') return;
      if (reply === 'drop') {
        req.socket.destroy();
        return;
      }
      if (reply === 'stall') {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        res.write('{"balance": "1.');
        return;
      }
      res.writeHead(reply.status ?? 200, reply.headers ?? {});
      res.end(reply.body);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/v2`, requests };
}

/** An address where nothing listens, for connection-refused tests. */
export async function unusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/v2`;
}

/** A `sleep` that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}
