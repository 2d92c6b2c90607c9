import { randomBytes } from 'node:crypto';
import { sleep } from '../support/process-fleet.js';

export interface LoadCustomer {
  readonly apiKey: string;
}

export interface LoadOptions {
  /** API v2 URLs of the servers; callers spread their requests over them. */
  readonly servers: readonly string[];
  readonly customers: readonly LoadCustomer[];
  /** The reseller's provider-backed service. */
  readonly service: number;
  readonly callers: number;
  /** Pause between a caller's requests. */
  readonly pauseMs: number;
  /** How long an `add` with a request_id is retried through a fault before it counts as lost. */
  readonly retryForMs: number;
}

/** What the clients saw. */
export interface LoadCounts {
  addsTried: number;
  /** Distinct order ids answered to an `add`. */
  acknowledged: number;
  /** `add`s that ended without an order id (a fault, no request_id to retry with, or retries ran out). */
  unacknowledged: number;
  /** `add`s with a request_id that needed more than one attempt. */
  retriedAdds: number;
  /** Retries of one request_id answered with a different order id than before: must be 0. */
  replayMismatches: number;
  statusOk: number;
  statusFailed: number;
  /** `status` of an acknowledged order answered "Incorrect order ID": a lost order, must be 0. */
  statusMissing: number;
  /** Answers with an API error other than during a fault (e.g. "Not enough funds"): must be 0. */
  unexpectedErrors: string[];
}

type Outcome = { kind: 'answer'; json: Record<string, unknown> } | { kind: 'fault'; reason: string }; // connection error, timeout or 5xx

/**
 * A steady stream of API v2 `add` (half with a request_id) and `status` calls from several
 * concurrent callers over real HTTP, recording every order id a client was given. A caller whose
 * `add` meets a fault retries it only if it carries a request_id — with the same one, as the API
 * promises that is safe — and otherwise counts it as unacknowledged.
 */
export class ClientLoad {
  /** Order id → the customer that owns it. */
  readonly acknowledged = new Map<number, number>();
  private readonly byRequestId = new Map<string, number>();
  readonly counts: LoadCounts = {
    addsTried: 0,
    acknowledged: 0,
    unacknowledged: 0,
    retriedAdds: 0,
    replayMismatches: 0,
    statusOk: 0,
    statusFailed: 0,
    statusMissing: 0,
    unexpectedErrors: [],
  };
  private readonly inFlightByServer = new Map<string, number>();
  private readonly down = new Set<string>();
  private faults = 0;
  private stopping = false;
  private callers: Promise<void>[] = [];
  private next = 0;

  constructor(private readonly options: LoadOptions) {}

  start(): void {
    this.callers = Array.from({ length: this.options.callers }, (_, index) => this.caller(index));
  }

  /** Lets every caller finish what it is doing (a retry loop included) and stops them. */
  async stop(): Promise<LoadCounts> {
    this.stopping = true;
    await Promise.all(this.callers);
    this.counts.acknowledged = this.acknowledged.size;
    return this.counts;
  }

  /** Acknowledged orders so far: a fault test waits for this to grow to know the load goes on. */
  get acknowledgedCount(): number {
    return this.acknowledged.size;
  }

  /** Requests that met a connection error, a timeout or a 5xx so far. */
  get faultCount(): number {
    return this.faults;
  }

  inFlightTo(server: string): number {
    return this.inFlightByServer.get(server) ?? 0;
  }

  private async caller(index: number): Promise<void> {
    const customerIndex = index % this.options.customers.length;
    const customer = this.options.customers[customerIndex]!;
    const mine: number[] = [];
    let step = 0;
    while (!this.stopping) {
      step++;
      if (step % 3 === 0 && mine.length > 0) {
        await this.status(customer, mine[Math.floor(Math.random() * mine.length)]!);
      } else {
        const id = await this.add(customer, customerIndex, step % 2 === 0);
        if (id !== null) mine.push(id);
      }
      await sleep(this.options.pauseMs);
    }
  }

  /** As a load balancer's health check would: no new requests go to `server` until `markUp`. */
  markDown(server: string): void {
    this.down.add(server);
  }

  markUp(server: string): void {
    this.down.delete(server);
  }

  private pickServer(): string {
    const up = this.options.servers.filter((server) => !this.down.has(server));
    const servers = up.length > 0 ? up : this.options.servers;
    return servers[this.next++ % servers.length]!;
  }

  private async add(customer: LoadCustomer, customerIndex: number, keyed: boolean): Promise<number | null> {
    this.counts.addsTried++;
    const requestId = keyed ? `load-${randomBytes(8).toString('hex')}` : undefined;
    const params: Record<string, string> = {
      key: customer.apiKey,
      action: 'add',
      service: String(this.options.service),
      // A link of its own: the service may refuse a second active order for one link.
      link: `https://instagram.example/p/${randomBytes(6).toString('hex')}`,
      quantity: String(100 + Math.floor(Math.random() * 900)),
      ...(requestId ? { request_id: requestId } : {}),
    };
    const giveUpAt = Date.now() + this.options.retryForMs;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.call(this.pickServer(), params);
      if (outcome.kind === 'answer') {
        const order = outcome.json.order;
        if (typeof order !== 'number') {
          this.counts.unexpectedErrors.push(`add: ${JSON.stringify(outcome.json)}`);
          this.counts.unacknowledged++;
          return null;
        }
        if (attempt > 1) this.counts.retriedAdds++;
        if (requestId) {
          const before = this.byRequestId.get(requestId);
          if (before !== undefined && before !== order) this.counts.replayMismatches++;
          this.byRequestId.set(requestId, order);
        }
        this.acknowledged.set(order, customerIndex);
        return order;
      }
      // A fault: the order may or may not exist. Only a keyed request may be sent again.
      if (!requestId || Date.now() >= giveUpAt) {
        this.counts.unacknowledged++;
        return null;
      }
      await sleep(200);
    }
  }

  private async status(customer: LoadCustomer, order: number): Promise<void> {
    const outcome = await this.call(this.pickServer(), {
      key: customer.apiKey,
      action: 'status',
      order: String(order),
    });
    if (outcome.kind === 'fault') {
      this.counts.statusFailed++;
      return;
    }
    if (typeof outcome.json.status === 'string') this.counts.statusOk++;
    else if (outcome.json.error === 'Incorrect order ID') this.counts.statusMissing++;
    else this.counts.unexpectedErrors.push(`status ${order}: ${JSON.stringify(outcome.json)}`);
  }

  private async call(server: string, params: Record<string, string>): Promise<Outcome> {
    this.inFlightByServer.set(server, this.inFlightTo(server) + 1);
    try {
      const response = await fetch(server, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      if (response.status >= 500) {
        this.faults++;
        return { kind: 'fault', reason: `HTTP ${response.status}: ${text}` };
      }
      return { kind: 'answer', json: JSON.parse(text) as Record<string, unknown> };
    } catch (error) {
      this.faults++;
      return { kind: 'fault', reason: error instanceof Error ? error.message : String(error) };
    } finally {
      this.inFlightByServer.set(server, this.inFlightTo(server) - 1);
    }
  }
}
