import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** What a receiver does with a request: answer (after `delayMs`), or hang until closed. */
export type ReceiverAnswer = { status: number; body?: string; delayMs?: number } | 'hang';

export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface VerifiedWebhook {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/**
 * A webhook receiver on 127.0.0.1, answering as told (the default: 204), that verifies what it got
 * as the Standard Webhooks specification says, with the specification's own library.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  answers: ReceiverAnswer[] = [];
  /** The answer when `answers` is empty. */
  otherwise: ReceiverAnswer = { status: 204 };
  private readonly hung = new Set<() => void>();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        receiver.received.push({ headers: request.headers, body });
        const answer = receiver.answers.shift() ?? receiver.otherwise;
        if (answer === 'hang') {
          receiver.hung.add(() => response.destroy());
          return;
        }
        const reply = () =>
          response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
        if (answer.delayMs === undefined) reply();
        else setTimeout(reply, answer.delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** Every request so far, verified with `secret`: throws on a bad signature or a stale timestamp. */
  verified(secret: string): VerifiedWebhook[] {
    const hook = new Webhook(secret);
    return this.received.map(({ headers, body }) => {
      const payload = hook.verify(body, {
        'webhook-id': String(headers['webhook-id']),
        'webhook-timestamp': String(headers['webhook-timestamp']),
        'webhook-signature': String(headers['webhook-signature']),
      }) as { type: string; data: Record<string, unknown> };
      return { ...payload, id: String(headers['webhook-id']) };
    });
  }

  async close(): Promise<void> {
    for (const release of this.hung) release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
