import { createHmac, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CreatePaymentInput,
  type CreatedPayment,
  type GatewayDefinition,
  type GatewayEvent,
  type GatewayName,
  InvalidNotification,
  type PaymentGateway,
} from '../../src/payments/gateway.js';
import { registerGateway } from '../../src/payments/registry.js';

/**
 * "TestPay": a stand-in for an external payment gateway, until the real adapters (Stripe, PayPal,
 * NOWPayments) are wired onto these flows. A real HTTP server on an ephemeral port with a small
 * REST API (Bearer key), a checkout page, and notifications signed as Stripe signs its webhooks
 * (`t=<unix seconds>,v1=<HMAC-SHA256 hex of "<t>.<raw body>">`, 5 minutes' tolerance). The adapter
 * below is a real client of it, registered in the gateway registry as `testpay`.
 */
export const TEST_GATEWAY = 'testpay';
const SIGNATURE_HEADER = 'testpay-signature';
const TOLERANCE_SECONDS = 300;

export interface TestPayment {
  readonly id: string;
  readonly amount: string;
  readonly currency: string;
  readonly reference: string;
  readonly notifyUrl: string;
  readonly returnUrl: string;
  status: 'open' | 'paid' | 'refunded';
}

export type TestEventType =
  'payment.succeeded' | 'payment.failed' | 'payment.expired' | 'payment.refunded' | 'payment.disputed';

export function signTestPay(secret: string, body: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

export class TestPayServer {
  readonly payments = new Map<string, TestPayment>();
  private counter = 0;
  private eventCounter = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    readonly apiKey: string,
    readonly webhookSecret: string,
  ) {}

  static async start(): Promise<TestPayServer> {
    let instance: TestPayServer | null = null;
    const server = createServer((request, response) => {
      void instance!.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    instance = new TestPayServer(server, `http://127.0.0.1:${port}`, 'tp_key_secret', 'tp_whsec_secret');
    return instance;
  }

  /** The config of a payment method that uses this server. */
  get config(): Record<string, string> {
    return { apiBase: this.baseUrl, apiKey: this.apiKey, webhookSecret: this.webhookSecret };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.baseUrl);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith('/v1/') && request.headers.authorization !== `Bearer ${this.apiKey}`)
      return send(401, { error: 'invalid api key' });
    if (request.method === 'POST' && url.pathname === '/v1/payments') {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>;
      if (!/^\d+\.\d{2}$/.test(body.amount ?? '')) return send(422, { error: 'amount must have 2 decimals' });
      const id = `tp_${++this.counter}`;
      this.payments.set(id, {
        id,
        amount: body.amount!,
        currency: body.currency!,
        reference: body.reference!,
        notifyUrl: body.notify_url!,
        returnUrl: body.return_url!,
        status: 'open',
      });
      return send(200, { id, checkout_url: `${this.baseUrl}/checkout/${id}` });
    }
    const paymentMatch = /^\/v1\/payments\/(tp_\d+)$/.exec(url.pathname);
    if (request.method === 'GET' && paymentMatch) {
      const payment = this.payments.get(paymentMatch[1]!);
      return payment ? send(200, payment) : send(404, { error: 'no such payment' });
    }
    const checkout = /^\/checkout\/(tp_\d+)$/.exec(url.pathname);
    if (request.method === 'GET' && checkout && this.payments.has(checkout[1]!)) {
      const payment = this.payments.get(checkout[1]!)!;
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><title>TestPay</title><h1>Pay ${payment.amount} ${payment.currency}</h1>`);
      return;
    }
    send(404, { error: 'not found' });
  }

  /** A notification as the gateway would send it: the raw body and its signature header. */
  event(
    paymentId: string,
    type: TestEventType,
    options: {
      amount?: string;
      currency?: string;
      eventId?: string;
      timestamp?: number;
      secret?: string;
    } = {},
  ): { body: string; headers: Record<string, string> } {
    const payment = this.payments.get(paymentId);
    if (!payment) throw new Error(`no payment ${paymentId}`);
    if (type === 'payment.succeeded') payment.status = 'paid';
    if (type === 'payment.refunded') payment.status = 'refunded';
    const body = JSON.stringify({
      id: options.eventId ?? `evt_${++this.eventCounter}`,
      type,
      data: {
        payment: paymentId,
        reference: payment.reference,
        amount: options.amount ?? payment.amount,
        currency: options.currency ?? payment.currency,
      },
    });
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const signature = signTestPay(options.secret ?? this.webhookSecret, body, timestamp);
    return { body, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature } };
  }

  /** Sends a notification to the payment's notify URL, as the gateway does; the panel's answer. */
  async deliver(
    paymentId: string,
    type: TestEventType,
    options: Parameters<TestPayServer['event']>[2] = {},
  ): Promise<{ status: number; text: string }> {
    const { body, headers } = this.event(paymentId, type, options);
    const response = await fetch(this.payments.get(paymentId)!.notifyUrl, { method: 'POST', headers, body });
    return { status: response.status, text: await response.text() };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The panel's side: a client of the TestPay API, checking signatures as Stripe's SDK does. */
class TestPayGateway implements PaymentGateway {
  // The adapter interface names the production gateways; this stand-in borrows none of their code.
  readonly name = TEST_GATEWAY as GatewayName;

  constructor(private readonly config: Record<string, string>) {}

  private async call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.config.apiBase}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.config.apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`TestPay ${response.status}: ${String(json.error)}`);
    return json;
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const created = await this.call('POST', '/v1/payments', {
      amount: input.amount,
      currency: input.currency,
      reference: String(input.depositId),
      notify_url: input.notifyUrl,
      return_url: input.returnUrl,
    });
    return { paymentId: String(created.id), redirectUrl: String(created.checkout_url) };
  }

  readNotification(request: {
    headers: Record<string, string | string[] | undefined>;
    rawBody: Buffer;
  }): Promise<GatewayEvent> {
    // A rejected promise, never a synchronous throw, as an SDK's verification is awaited.
    return Promise.resolve().then(() => this.verify(request));
  }

  private verify(request: {
    headers: Record<string, string | string[] | undefined>;
    rawBody: Buffer;
  }): GatewayEvent {
    const signature = header(request.headers, SIGNATURE_HEADER);
    const parts = Object.fromEntries(
      (signature ?? '').split(',').map((part) => part.split('=', 2) as [string, string]),
    );
    const timestamp = Number(parts.t);
    if (!Number.isInteger(timestamp) || typeof parts.v1 !== 'string')
      throw new InvalidNotification('no signature');
    if (Math.abs(Date.now() / 1000 - timestamp) > TOLERANCE_SECONDS)
      throw new InvalidNotification('stale signature');
    const expected = Buffer.from(
      signTestPay(this.config.webhookSecret!, request.rawBody.toString('utf8'), timestamp),
    );
    const given = Buffer.from(`t=${parts.t},v1=${parts.v1}`);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      throw new InvalidNotification('bad signature');
    let event: { id: string; type: string; data: Record<string, string> };
    try {
      event = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      throw new InvalidNotification('unreadable body');
    }
    const { payment, reference, amount, currency } = event.data;
    const depositId = /^\d+$/.test(reference ?? '') ? Number(reference) : null;
    switch (event.type) {
      case 'payment.succeeded':
        return {
          kind: 'paid',
          eventId: event.id,
          paymentId: payment!,
          depositId,
          amount: amount!,
          currency: currency!,
        };
      case 'payment.failed':
        return { kind: 'failed', eventId: event.id, paymentId: payment!, depositId };
      case 'payment.expired':
        return { kind: 'expired', eventId: event.id, paymentId: payment!, depositId };
      case 'payment.refunded':
        return {
          kind: 'refunded',
          eventId: event.id,
          paymentId: payment!,
          amount: amount!,
          currency: currency!,
        };
      case 'payment.disputed':
        return {
          kind: 'disputed',
          eventId: event.id,
          paymentId: payment!,
          amount: amount!,
          currency: currency!,
        };
      default:
        return { kind: 'ignored', eventId: event.id };
    }
  }

  async confirmReturn(query: Record<string, string>): Promise<GatewayEvent | null> {
    const paymentId = query.payment;
    if (paymentId === undefined) return null;
    const payment = await this.call('GET', `/v1/payments/${encodeURIComponent(paymentId)}`);
    if (payment.status !== 'paid') return null;
    return {
      kind: 'paid',
      eventId: `return:${paymentId}`,
      paymentId,
      depositId: Number(payment.reference),
      amount: String(payment.amount),
      currency: String(payment.currency),
    };
  }
}

export const testPayDefinition: GatewayDefinition = {
  name: TEST_GATEWAY as GatewayName,
  parseConfig(config: unknown): Record<string, string> {
    if (typeof config !== 'object' || config === null) throw new Error('a JSON object');
    const given = config as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const key of ['apiBase', 'apiKey', 'webhookSecret']) {
      const value = given[key];
      if (typeof value !== 'string' || value === '') throw new Error(`${key} is required`);
      out[key] = value;
    }
    if (!/^https?:\/\//.test(out.apiBase!)) throw new Error('apiBase must be an http(s) URL');
    return out;
  },
  secretFields: ['apiKey', 'webhookSecret'],
  create: (config) => new TestPayGateway(config),
};

/** Makes `testpay` a gateway of this process's panels (the CLI's child processes do not see it). */
export function registerTestGateway(): void {
  registerGateway(TEST_GATEWAY, testPayDefinition);
}
