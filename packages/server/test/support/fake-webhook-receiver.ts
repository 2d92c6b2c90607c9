import type { IncomingMessage } from 'node:http';
import { sendJson, startFakeHttpServer } from './fake-gateway-http.js';

/** What a webhook endpoint received: the headers and the exact bytes, as the adapters read them. */
export interface ReceivedNotification {
  readonly headers: IncomingMessage['headers'];
  readonly rawBody: Buffer;
  readonly query: Record<string, string>;
}

/**
 * A stand-in for our webhook endpoint in the adapter tests: a real HTTP server that records each
 * delivery a fake gateway POSTs, and each return a fake checkout page redirects to.
 */
export async function startWebhookReceiver() {
  const received: ReceivedNotification[] = [];
  const returns: Record<string, string>[] = [];
  const server = await startFakeHttpServer((request, response) => {
    const query = Object.fromEntries(request.url.searchParams);
    if (request.method === 'POST' && request.path === '/notify') {
      received.push({ headers: request.headers, rawBody: Buffer.from(request.body, 'utf8'), query });
      sendJson(response, 200, { received: true });
      return;
    }
    if (request.method === 'GET' && (request.path === '/return' || request.path === '/cancel')) {
      returns.push({ page: request.path.slice(1), ...query });
      sendJson(response, 200, { page: request.path.slice(1), query });
      return;
    }
    sendJson(response, 404, { error: 'not found' });
  });
  return {
    notifyUrl: `${server.origin}/notify`,
    returnUrl: `${server.origin}/return`,
    cancelUrl: `${server.origin}/cancel`,
    received,
    returns,
    /** The last delivery, as `readNotification` takes it. */
    last(): { headers: IncomingMessage['headers']; rawBody: Buffer } {
      const notification = received.at(-1);
      if (!notification) throw new Error('no notification received');
      return { headers: notification.headers, rawBody: notification.rawBody };
    },
    close: () => server.close(),
  };
}
