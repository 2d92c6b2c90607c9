import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One webhook as the bench's receiver saw it arrive. */
export interface Arrival {
  readonly messageId: string;
  readonly order: number;
  readonly sequence: number;
  /** The event's `timestamp`: when the change was written (with its outbox row). */
  readonly changedAt: number;
  readonly arrivedAt: number;
}

/**
 * The customer's server in the webhooks bench: on 127.0.0.1, answers 204 at once, and notes each
 * `order.updated` with its arrival time. Signatures are verified by the test suite (the
 * specification's library); the bench counts and times.
 */
export class BenchReceiver {
  readonly arrivals: Arrival[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<BenchReceiver> {
    const server = createServer();
    const receiver = new BenchReceiver(server);
    server.on('request', (request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        const arrivedAt = Date.now();
        response.writeHead(204).end();
        const event = JSON.parse(body) as { timestamp: string; data: { order: number; sequence: number } };
        receiver.note({
          messageId: String(request.headers['webhook-id']),
          order: event.data.order,
          sequence: event.data.sequence,
          changedAt: Date.parse(event.timestamp),
          arrivedAt,
        });
      });
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/smm-hooks`;
  }

  private note(arrival: Arrival): void {
    this.arrivals.push(arrival);
    const ready = this.waiters.filter((waiter) => this.arrivals.length >= waiter.count);
    this.waiters = this.waiters.filter((waiter) => this.arrivals.length < waiter.count);
    for (const waiter of ready) waiter.resolve();
  }

  /** Resolves true once `count` webhooks arrived, false after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<boolean> {
    if (this.arrivals.length >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      });
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
