import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  type SignedDelivery,
  escapeHtml,
  fakeId,
  postDelivery,
  redirect,
  sendHtml,
  sendJson,
  startFakeHttpServer,
} from './fake-gateway-http.js';

/**
 * A local Stripe: the part of its HTTP API that Checkout uses, spoken as the official SDK sends it
 * (form-encoded bodies with bracketed keys, `Authorization: Bearer sk_…`, `Idempotency-Key`), and its
 * webhooks signed as Stripe documents: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<payload>" keyed with the whsec_ secret>`.
 *
 * Test helpers build the events Stripe would send (`complete`, `expire`, `refund`, `dispute`) without
 * sending them, so a test decides when, how often and in which order to `deliver` them, and with
 * which signature (a stale timestamp, a wrong secret).
 */
export interface FakeStripeOptions {
  readonly secretKey?: string;
  readonly webhookSecret?: string;
  /** Where the checkout page's "Pay" button delivers `checkout.session.completed` (the dashboard's endpoint). */
  webhookUrl?: string | null;
}

export interface FakeCheckoutSession {
  readonly id: string;
  readonly object: 'checkout.session';
  readonly mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  amount_total: number;
  amount_subtotal: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  success_url: string;
  cancel_url: string | null;
  url: string | null;
  created: number;
  expires_at: number;
  livemode: false;
}

interface FakeCharge {
  readonly id: string;
  readonly sessionId: string;
  readonly paymentIntent: string;
  readonly amount: number;
  readonly currency: string;
  amountRefunded: number;
}

export interface StripeEvent {
  readonly id: string;
  readonly object: 'event';
  readonly type: string;
  readonly api_version: string;
  readonly created: number;
  readonly data: { readonly object: Record<string, unknown> };
  readonly livemode: false;
  readonly pending_webhooks: number;
  readonly request: { readonly id: string | null; readonly idempotency_key: string | null };
}

export interface SignOptions {
  /** Unix seconds of the signature; default now. Now − 301 is stale. */
  readonly timestamp?: number;
  /** Sign with another secret: a forged signature. */
  readonly secret?: string;
}

export async function startFakeStripe(options: FakeStripeOptions = {}) {
  const secretKey = options.secretKey ?? 'sk_test_fake_stripe_key';
  const webhookSecret = options.webhookSecret ?? 'whsec_fake_stripe_webhook_secret';
  const sessions = new Map<string, FakeCheckoutSession>();
  const charges = new Map<string, FakeCharge>();
  const idempotent = new Map<string, FakeCheckoutSession>();
  const state = { webhookUrl: options.webhookUrl ?? null };
  const now = () => Math.floor(Date.now() / 1000);

  const server = await startFakeHttpServer(async (request, response) => {
    const { method, path, url } = request;
    const pay = /^\/pay\/(cs_[A-Za-z0-9_]+)$/.exec(path);
    if (pay) return checkoutPage(method, sessions.get(pay[1]!), response);
    if (!path.startsWith('/v1/')) return sendJson(response, 404, stripeError('Unrecognized request URL'));
    if (request.headers.authorization !== `Bearer ${secretKey}`)
      return sendJson(
        response,
        401,
        stripeError(`Invalid API Key provided: ${maskKey(request.headers.authorization)}`),
      );

    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const key = request.headers['idempotency-key'];
      const replay = typeof key === 'string' ? idempotent.get(key) : undefined;
      if (replay) return sendJson(response, 200, replay);
      const created = createSession(parseStripeForm(request.body));
      if (typeof created === 'string') return sendJson(response, 400, stripeError(created));
      if (typeof key === 'string') idempotent.set(key, created);
      return sendJson(response, 200, created);
    }
    const one = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === 'GET' && one) {
      const session = sessions.get(one[1]!);
      return session
        ? sendJson(response, 200, session)
        : sendJson(response, 404, stripeError(`No such checkout.session: '${one[1]}'`));
    }
    if (method === 'GET' && path === '/v1/checkout/sessions') {
      const paymentIntent = url.searchParams.get('payment_intent');
      const limit = Number(url.searchParams.get('limit') ?? '10');
      const data = [...sessions.values()]
        .filter((session) => paymentIntent === null || session.payment_intent === paymentIntent)
        .slice(0, limit);
      return sendJson(response, 200, { object: 'list', data, has_more: false, url: '/v1/checkout/sessions' });
    }
    await Promise.resolve();
    return sendJson(response, 404, stripeError(`Unrecognized request URL (${method}: ${path})`));
  });

  function createSession(form: FormValue): FakeCheckoutSession | string {
    if (!isRecord(form)) return 'Invalid request body';
    if (form.mode !== 'payment') return 'Missing required param: mode.';
    if (typeof form.success_url !== 'string') return 'Missing required param: success_url.';
    const items = form.line_items;
    if (!Array.isArray(items) || items.length === 0) return 'Missing required param: line_items.';
    let total = 0;
    let currency: string | null = null;
    for (const item of items) {
      if (!isRecord(item) || !isRecord(item.price_data)) return 'line_items need price_data';
      const price = item.price_data;
      const unit = Number(price.unit_amount);
      const quantity = Number(item.quantity ?? '1');
      if (!Number.isSafeInteger(unit) || unit < 1) return 'Invalid integer: unit_amount';
      if (typeof price.currency !== 'string' || !/^[a-z]{3}$/.test(price.currency)) return 'Invalid currency';
      if (!isRecord(price.product_data) || typeof price.product_data.name !== 'string')
        return 'Missing required param: line_items[0][price_data][product_data][name].';
      if (currency !== null && currency !== price.currency) return 'All line items need the same currency';
      currency = price.currency;
      total += unit * quantity;
    }
    const id = fakeId('cs_test_');
    const created = now();
    const session: FakeCheckoutSession = {
      id,
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: total,
      amount_subtotal: total,
      currency: currency!,
      client_reference_id: typeof form.client_reference_id === 'string' ? form.client_reference_id : null,
      metadata: isRecord(form.metadata) ? stringRecord(form.metadata) : {},
      payment_intent: null,
      success_url: form.success_url,
      cancel_url: typeof form.cancel_url === 'string' ? form.cancel_url : null,
      url: `${server.origin}/pay/${id}`,
      created,
      expires_at: created + 24 * 3600,
      livemode: false,
    };
    sessions.set(id, session);
    return session;
  }

  function checkoutPage(method: string, session: FakeCheckoutSession | undefined, response: ServerResponse) {
    if (!session) return sendHtml(response, 404, '<h1>This Checkout Session is no longer available</h1>');
    if (method === 'POST') {
      if (session.status !== 'open') return sendHtml(response, 409, `<h1>Session ${session.status}</h1>`);
      const event = complete(session.id);
      const target = state.webhookUrl;
      const finish = () =>
        redirect(response, session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id));
      if (!target) return finish();
      return void postDelivery(target, sign(event)).then(finish, finish);
    }
    const amount = `${session.amount_total} ${session.currency.toUpperCase()} minor units`;
    return sendHtml(
      response,
      200,
      `<!doctype html><title>Fake Stripe Checkout</title><h1>Pay ${escapeHtml(amount)}</h1>` +
        `<p id="session">${escapeHtml(session.id)}</p>` +
        `<form method="post" action="/pay/${escapeHtml(session.id)}"><button type="submit">Pay</button></form>` +
        (session.cancel_url ? `<a href="${escapeHtml(session.cancel_url)}">Cancel</a>` : ''),
    );
  }

  function requireSession(sessionId: string): FakeCheckoutSession {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`fake Stripe has no session ${sessionId}`);
    return session;
  }

  function chargeOf(sessionId: string): FakeCharge {
    const charge = [...charges.values()].find((one) => one.sessionId === sessionId);
    if (!charge) throw new Error(`session ${sessionId} was never paid`);
    return charge;
  }

  function event(type: string, object: Record<string, unknown>): StripeEvent {
    return {
      id: fakeId('evt_'),
      object: 'event',
      type,
      api_version: '2026-10-28.endive',
      created: now(),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    };
  }

  /** The customer pays: the session completes (paid), its PaymentIntent and charge exist. */
  function complete(
    sessionId: string,
    override: { amountTotal?: number; currency?: string } = {},
  ): StripeEvent {
    const session = requireSession(sessionId);
    if (!session.payment_intent) {
      session.payment_intent = fakeId('pi_');
      const charge: FakeCharge = {
        id: fakeId('ch_'),
        sessionId,
        paymentIntent: session.payment_intent,
        amount: session.amount_total,
        currency: session.currency,
        amountRefunded: 0,
      };
      charges.set(charge.id, charge);
    }
    session.status = 'complete';
    session.payment_status = 'paid';
    return event('checkout.session.completed', {
      ...session,
      ...(override.amountTotal !== undefined && { amount_total: override.amountTotal }),
      ...(override.currency !== undefined && { currency: override.currency }),
    });
  }

  function expire(sessionId: string): StripeEvent {
    const session = requireSession(sessionId);
    session.status = 'expired';
    session.url = null;
    return event('checkout.session.expired', { ...session });
  }

  /** A refund of `amount` minor units (default: the rest), as `charge.refunded` with the charge. */
  function refund(sessionId: string, amount?: number): StripeEvent {
    const charge = chargeOf(sessionId);
    charge.amountRefunded += amount ?? charge.amount - charge.amountRefunded;
    return event('charge.refunded', {
      id: charge.id,
      object: 'charge',
      amount: charge.amount,
      amount_captured: charge.amount,
      amount_refunded: charge.amountRefunded,
      currency: charge.currency,
      paid: true,
      captured: true,
      refunded: charge.amountRefunded >= charge.amount,
      payment_intent: charge.paymentIntent,
      status: 'succeeded',
      metadata: requireSession(sessionId).metadata,
    });
  }

  function dispute(sessionId: string): StripeEvent {
    const charge = chargeOf(sessionId);
    return event('charge.dispute.created', {
      id: fakeId('dp_'),
      object: 'dispute',
      amount: charge.amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.paymentIntent,
      reason: 'fraudulent',
      status: 'needs_response',
      created: now(),
    });
  }

  /** The Stripe-Signature header for these exact bytes. */
  function signatureHeader(payload: string, options: SignOptions = {}): string {
    const timestamp = options.timestamp ?? now();
    const mac = createHmac('sha256', options.secret ?? webhookSecret)
      .update(`${timestamp}.${payload}`, 'utf8')
      .digest('hex');
    return `t=${timestamp},v1=${mac}`;
  }

  /** The event as Stripe POSTs it: pretty-printed JSON and its signature header. */
  function sign(stripeEvent: StripeEvent, options: SignOptions = {}): SignedDelivery {
    const payload = JSON.stringify(stripeEvent, null, 2);
    return {
      headers: { 'stripe-signature': signatureHeader(payload, options), 'user-agent': 'Stripe/1.0' },
      rawBody: Buffer.from(payload, 'utf8'),
    };
  }

  return {
    apiBase: server.origin,
    secretKey,
    webhookSecret,
    requests: server.requests,
    sessions,
    /** The gateway config a payment method needs to use this fake. */
    config: { secretKey, webhookSecret, apiBase: server.origin },
    set webhookUrl(url: string | null) {
      state.webhookUrl = url;
    },
    complete,
    expire,
    refund,
    dispute,
    signatureHeader,
    sign,
    /** POSTs the event, signed (or mis-signed per options), to a webhook URL; again to replay it. */
    deliver: (url: string, stripeEvent: StripeEvent, options: SignOptions = {}) =>
      postDelivery(url, sign(stripeEvent, options)),
    close: () => server.close(),
  };
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;

type FormValue = string | FormValue[] | { [key: string]: FormValue };

/** Stripe's form encoding: `line_items[0][price_data][currency]=usd` → nested objects and arrays. */
export function parseStripeForm(body: string): FormValue {
  const root: Record<string, FormValue> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split('[').map((part) => part.replace(/\]$/, ''));
    let node: Record<string, FormValue> | FormValue[] = root;
    path.forEach((part, index) => {
      const last = index === path.length - 1;
      const container = node as Record<string, FormValue>;
      if (last) {
        container[part] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[index + 1]!);
      container[part] ??= nextIsIndex ? [] : {};
      node = container[part] as Record<string, FormValue> | FormValue[];
    });
  }
  return root;
}

function isRecord(value: FormValue | undefined): value is { [key: string]: FormValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: { [key: string]: FormValue }): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

function stripeError(message: string) {
  return { error: { type: 'invalid_request_error', message } };
}

function maskKey(header: string | undefined): string {
  const key = header?.replace(/^Bearer /, '') ?? '';
  return key.length > 8 ? `${key.slice(0, 8)}…` : '(none)';
}
