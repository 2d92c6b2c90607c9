import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the fake gateways share: a real HTTP server on 127.0.0.1:<ephemeral>, raw bodies, a request log. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface FakeHttpServer {
  readonly origin: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export type FakeHandler = (
  request: RecordedRequest & { readonly url: URL },
  response: ServerResponse,
) => void | Promise<void>;

export async function startFakeHttpServer(handler: FakeHandler): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((incoming, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      try {
        await handler({ ...recorded, url }, response);
      } catch (error) {
        if (!response.headersSent) sendJson(response, 500, { error: String(error) });
      }
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  response.end(html);
}

export function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { location });
  response.end();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A signed notification as a gateway POSTs it: the exact bytes and the headers that sign them. */
export interface SignedDelivery {
  readonly headers: Record<string, string>;
  readonly rawBody: Buffer;
}

/** POSTs a delivery to a webhook URL as the gateway would; answers the receiver's status and body. */
export async function postDelivery(
  url: string,
  delivery: SignedDelivery,
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...delivery.headers },
    body: new Uint8Array(delivery.rawBody),
  });
  return { status: response.status, body: await response.text() };
}

let counter = 0;
/** A gateway-looking id: `prefix` + 24 random-ish characters, unique within the test process. */
export function fakeId(prefix: string): string {
  counter += 1;
  const random = Math.random().toString(36).slice(2, 12).padEnd(10, '0');
  return `${prefix}${random}${counter.toString(36).padStart(14, '0')}`;
}
