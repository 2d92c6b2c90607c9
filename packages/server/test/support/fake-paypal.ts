import { createSign, createVerify, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import {
  type SignedDelivery,
  escapeHtml,
  postDelivery,
  redirect,
  sendHtml,
  sendJson,
  startFakeHttpServer,
} from './fake-gateway-http.js';

/**
 * A local PayPal: OAuth client credentials, Orders v2 (create, get, capture, with `PayPal-Request-Id`
 * idempotency), captures, an approval page, and webhooks signed as PayPal signs them: an RSA-SHA256
 * signature (`PAYPAL-TRANSMISSION-SIG`) over `<transmission id>|<transmission time>|<webhook id>|<CRC32
 * of the body>`, checkable only by asking `POST /v1/notifications/verify-webhook-signature`, as with
 * PayPal. The event builders (`captureCompleted`, `orderApproved`, `refund`, `dispute`) do not send; the
 * test decides when and how often to `deliver`, and with which signature.
 */
export interface FakePayPalOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly webhookId?: string;
}

interface Amount {
  readonly currency_code: string;
  readonly value: string;
}

interface FakeOrder {
  readonly id: string;
  status: 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED';
  readonly amount: Amount;
  readonly customId: string | null;
  readonly referenceId: string;
  readonly description: string | null;
  readonly returnUrl: string;
  readonly cancelUrl: string;
  /** What the capture will report (a test may make it differ from the order). */
  captureAmount: Amount;
  captureStatus: 'COMPLETED' | 'PENDING' | 'DECLINED';
  captureId: string | null;
  refundedValue: string;
}

/** The fields of a create-order request the fake reads (as the adapter or any client sends them). */
interface OrderRequest {
  intent?: string;
  purchase_units?: { amount?: Amount; custom_id?: string; reference_id?: string; description?: string }[];
  payment_source?: { paypal?: { experience_context?: { return_url?: unknown; cancel_url?: unknown } } };
  application_context?: { return_url?: unknown; cancel_url?: unknown };
}

export interface PayPalSignOptions {
  /** ISO time of the transmission; default now. Six minutes ago is stale. */
  readonly transmissionTime?: string;
  /** Sign for another webhook id (someone else's endpoint). */
  readonly webhookId?: string;
  /** Flip the signature: forged. */
  readonly forge?: boolean;
}

export interface PayPalEvent {
  readonly id: string;
  readonly event_version: '1.0';
  readonly create_time: string;
  readonly resource_type: string;
  readonly resource_version: string;
  readonly event_type: string;
  readonly summary: string;
  readonly resource: Record<string, unknown>;
}

export async function startFakePayPal(options: FakePayPalOptions = {}) {
  const clientId = options.clientId ?? 'fake-paypal-client-id';
  const clientSecret = options.clientSecret ?? 'fake-paypal-client-secret';
  const webhookId = options.webhookId ?? 'WH-FAKE-WEBHOOK-ID';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const tokens = new Set<string>();
  const orders = new Map<string, FakeOrder>();
  const replies = new Map<string, { status: number; body: unknown }>();
  const counters = { verifications: 0, tokensIssued: 0 };

  const server = await startFakeHttpServer((request, response) => {
    const { method, path, url, headers, body } = request;
    if (path === '/checkoutnow')
      return approvalPage(method, orders.get(url.searchParams.get('token') ?? ''), response);
    if (method === 'GET' && path === '/v1/notifications/certs/CERT-FAKE')
      return sendHtml(response, 200, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    if (method === 'POST' && path === '/v1/oauth2/token') {
      const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
      if (
        headers.authorization !== expected ||
        new URLSearchParams(body).get('grant_type') !== 'client_credentials'
      )
        return sendJson(response, 401, {
          error: 'invalid_client',
          error_description: 'Client Authentication failed',
        });
      const token = `A21AA${randomUUID().replaceAll('-', '')}`;
      tokens.add(token);
      counters.tokensIssued += 1;
      return sendJson(response, 200, {
        scope: 'https://uri.paypal.com/services/payments/payment',
        access_token: token,
        token_type: 'Bearer',
        app_id: 'APP-FAKE',
        expires_in: 32400,
        nonce: randomUUID(),
      });
    }
    const bearer = headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!tokens.has(bearer))
      return sendJson(response, 401, {
        error: 'invalid_token',
        error_description: 'Token signature verification failed',
      });

    const requestId = headers['paypal-request-id'];
    const key = typeof requestId === 'string' ? `${method} ${path} ${requestId}` : null;
    const replay = key ? replies.get(key) : undefined;
    if (replay) return sendJson(response, replay.status, replay.body);
    const answer = (status: number, reply: unknown) => {
      if (key && status < 300) replies.set(key, { status, body: reply }); // a refusal may be retried
      sendJson(response, status, reply);
    };

    if (method === 'POST' && path === '/v2/checkout/orders') return createOrder(body, answer);
    const capture = /^\/v2\/checkout\/orders\/([^/]+)\/capture$/.exec(path);
    if (method === 'POST' && capture) {
      const order = orders.get(capture[1]!);
      if (!order) return answer(404, notFound());
      if (order.status === 'COMPLETED') return answer(422, unprocessable('ORDER_ALREADY_CAPTURED'));
      if (order.status !== 'APPROVED') return answer(422, unprocessable('ORDER_NOT_APPROVED'));
      captureNow(order);
      return answer(201, orderJson(order));
    }
    const one = /^\/v2\/checkout\/orders\/([^/]+)$/.exec(path);
    if (method === 'GET' && one) {
      const order = orders.get(one[1]!);
      return order ? sendJson(response, 200, orderJson(order)) : sendJson(response, 404, notFound());
    }
    const captureGet = /^\/v2\/payments\/captures\/([^/]+)$/.exec(path);
    if (method === 'GET' && captureGet) {
      const order = [...orders.values()].find((candidate) => candidate.captureId === captureGet[1]);
      return order ? sendJson(response, 200, captureJson(order)) : sendJson(response, 404, notFound());
    }
    if (method === 'POST' && path === '/v1/notifications/verify-webhook-signature') {
      counters.verifications += 1;
      return sendJson(response, 200, { verification_status: verifies(body) ? 'SUCCESS' : 'FAILURE' });
    }
    return sendJson(response, 404, notFound());
  });

  function createOrder(body: string, answer: (status: number, reply: unknown) => void) {
    const request = JSON.parse(body) as OrderRequest;
    const unit = request.purchase_units?.[0];
    const amount = unit?.amount;
    const context = request.payment_source?.paypal?.experience_context ?? request.application_context ?? {};
    if (request.intent !== 'CAPTURE' || !amount || !/^\d+(\.\d{1,2})?$/.test(amount.value ?? ''))
      return answer(400, { name: 'INVALID_REQUEST', details: [{ issue: 'INVALID_PARAMETER_VALUE' }] });
    if (['JPY', 'HUF', 'TWD'].includes(amount.currency_code) && amount.value.includes('.'))
      return answer(422, unprocessable('DECIMAL_PRECISION'));
    if (typeof context.return_url !== 'string' || typeof context.cancel_url !== 'string')
      return answer(422, unprocessable('MISSING_RETURN_URL'));
    const order: FakeOrder = {
      id: randomUUID().replaceAll('-', '').slice(0, 17).toUpperCase(),
      status: 'PAYER_ACTION_REQUIRED',
      amount: { currency_code: amount.currency_code, value: amount.value },
      customId: unit?.custom_id ?? null,
      referenceId: unit?.reference_id ?? 'default',
      description: unit?.description ?? null,
      returnUrl: context.return_url,
      cancelUrl: context.cancel_url,
      captureAmount: { currency_code: amount.currency_code, value: amount.value },
      captureStatus: 'COMPLETED',
      captureId: null,
      refundedValue: '0.00',
    };
    orders.set(order.id, order);
    return answer(200, {
      id: order.id,
      status: order.status,
      payment_source: { paypal: {} },
      links: [
        { href: `${server.origin}/v2/checkout/orders/${order.id}`, rel: 'self', method: 'GET' },
        { href: `${server.origin}/checkoutnow?token=${order.id}`, rel: 'payer-action', method: 'GET' },
      ],
    });
  }

  function approvalPage(method: string, order: FakeOrder | undefined, response: ServerResponse) {
    if (!order)
      return sendHtml(response, 404, '<h1>Things don&#39;t appear to be working at the moment</h1>');
    if (method === 'POST') {
      approve(order.id);
      return redirect(
        response,
        `${order.returnUrl}${order.returnUrl.includes('?') ? '&' : '?'}token=${order.id}&PayerID=FAKEPAYER1`,
      );
    }
    return sendHtml(
      response,
      200,
      `<!doctype html><title>Fake PayPal</title><h1>Pay ${escapeHtml(order.amount.value)} ${escapeHtml(order.amount.currency_code)}</h1>` +
        `<form method="post" action="/checkoutnow?token=${escapeHtml(order.id)}"><button type="submit">Pay Now</button></form>` +
        `<a href="${escapeHtml(order.cancelUrl)}">Cancel and return</a>`,
    );
  }

  function requireOrder(orderId: string): FakeOrder {
    const order = orders.get(orderId);
    if (!order) throw new Error(`fake PayPal has no order ${orderId}`);
    return order;
  }

  function captureNow(order: FakeOrder) {
    order.captureId ??= randomUUID().replaceAll('-', '').slice(0, 17).toUpperCase();
    order.status = 'COMPLETED';
  }

  function captureJson(order: FakeOrder) {
    const time = new Date().toISOString();
    return {
      id: order.captureId,
      status: order.captureStatus,
      amount: order.captureAmount,
      final_capture: true,
      custom_id: order.customId ?? undefined,
      seller_protection: { status: 'ELIGIBLE' },
      supplementary_data: { related_ids: { order_id: order.id } },
      create_time: time,
      update_time: time,
      links: [
        { href: `${server.origin}/v2/payments/captures/${order.captureId}`, rel: 'self', method: 'GET' },
        {
          href: `${server.origin}/v2/payments/captures/${order.captureId}/refund`,
          rel: 'refund',
          method: 'POST',
        },
        { href: `${server.origin}/v2/checkout/orders/${order.id}`, rel: 'up', method: 'GET' },
      ],
    };
  }

  function orderJson(order: FakeOrder) {
    return {
      id: order.id,
      status: order.status,
      intent: 'CAPTURE',
      payer: order.status === 'PAYER_ACTION_REQUIRED' ? undefined : { payer_id: 'FAKEPAYER1' },
      purchase_units: [
        {
          reference_id: order.referenceId,
          custom_id: order.customId ?? undefined,
          description: order.description ?? undefined,
          amount: order.amount,
          ...(order.captureId && { payments: { captures: [captureJson(order)] } }),
        },
      ],
      links: [{ href: `${server.origin}/v2/checkout/orders/${order.id}`, rel: 'self', method: 'GET' }],
    };
  }

  /** The customer approves at PayPal (what the Pay Now button does), optionally paying another amount. */
  function approve(
    orderId: string,
    override: { captureAmount?: Amount; captureStatus?: FakeOrder['captureStatus'] } = {},
  ) {
    const order = requireOrder(orderId);
    if (order.status === 'PAYER_ACTION_REQUIRED') order.status = 'APPROVED';
    if (override.captureAmount) order.captureAmount = override.captureAmount;
    if (override.captureStatus) order.captureStatus = override.captureStatus;
  }

  function event(eventType: string, resourceType: string, resource: Record<string, unknown>): PayPalEvent {
    return {
      id: `WH-${randomUUID().replaceAll('-', '').slice(0, 24).toUpperCase()}`,
      event_version: '1.0',
      create_time: new Date().toISOString(),
      resource_type: resourceType,
      resource_version: '2.0',
      event_type: eventType,
      summary: `${eventType} (fake)`,
      resource,
    };
  }

  /** `CHECKOUT.ORDER.APPROVED`: the customer approved and never came back. */
  function orderApproved(orderId: string): PayPalEvent {
    approve(orderId);
    const order = requireOrder(orderId);
    return event('CHECKOUT.ORDER.APPROVED', 'checkout-order', { ...orderJson(order), status: 'APPROVED' });
  }

  /** `PAYMENT.CAPTURE.COMPLETED` for the order's capture (captured now if nobody captured it yet). */
  function captureCompleted(orderId: string): PayPalEvent {
    const order = requireOrder(orderId);
    if (!order.captureId) {
      approve(orderId);
      captureNow(order);
    }
    return event('PAYMENT.CAPTURE.COMPLETED', 'capture', captureJson(order));
  }

  /** A refund of `value` (default: the whole capture), as `PAYMENT.CAPTURE.REFUNDED`. */
  function refund(orderId: string, value?: string): PayPalEvent {
    const order = requireOrder(orderId);
    if (!order.captureId) throw new Error(`order ${orderId} was never captured`);
    const refunded = value ?? order.captureAmount.value;
    order.refundedValue = addDecimal(order.refundedValue, refunded);
    const currency = order.captureAmount.currency_code;
    const id = randomUUID().replaceAll('-', '').slice(0, 17).toUpperCase();
    return event('PAYMENT.CAPTURE.REFUNDED', 'refund', {
      id,
      amount: { currency_code: currency, value: refunded },
      status: 'COMPLETED',
      custom_id: order.customId ?? undefined,
      seller_payable_breakdown: {
        gross_amount: { currency_code: currency, value: refunded },
        total_refunded_amount: { currency_code: currency, value: order.refundedValue },
      },
      create_time: new Date().toISOString(),
      links: [
        { href: `${server.origin}/v2/payments/refunds/${id}`, rel: 'self', method: 'GET' },
        { href: `${server.origin}/v2/payments/captures/${order.captureId}`, rel: 'up', method: 'GET' },
      ],
    });
  }

  function dispute(orderId: string): PayPalEvent {
    const order = requireOrder(orderId);
    if (!order.captureId) throw new Error(`order ${orderId} was never captured`);
    return event('CUSTOMER.DISPUTE.CREATED', 'dispute', {
      dispute_id: `PP-D-${Math.floor(Math.random() * 1e6)}`,
      create_time: new Date().toISOString(),
      disputed_transactions: [
        { seller_transaction_id: order.captureId, seller: { merchant_id: 'FAKEMERCHANT' } },
      ],
      reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
      status: 'OPEN',
      dispute_amount: order.captureAmount,
      dispute_life_cycle_stage: 'INQUIRY',
    });
  }

  function signedString(transmissionId: string, time: string, forWebhook: string, body: string): string {
    return `${transmissionId}|${time}|${forWebhook}|${crc32(body)}`;
  }

  /** The event as PayPal POSTs it: compact JSON and the PAYPAL-* transmission headers. */
  function sign(paypalEvent: PayPalEvent, signOptions: PayPalSignOptions = {}): SignedDelivery {
    const body = JSON.stringify(paypalEvent);
    const transmissionId = randomUUID();
    const time = signOptions.transmissionTime ?? new Date().toISOString();
    const signer = createSign('RSA-SHA256');
    signer.update(signedString(transmissionId, time, signOptions.webhookId ?? webhookId, body));
    let signature = signer.sign(privateKey, 'base64');
    if (signOptions.forge) signature = `${signature.slice(0, -4)}AAA=`;
    return {
      headers: {
        'paypal-auth-algo': 'SHA256withRSA',
        'paypal-cert-url': `${server.origin}/v1/notifications/certs/CERT-FAKE`,
        'paypal-transmission-id': transmissionId,
        'paypal-transmission-sig': signature,
        'paypal-transmission-time': time,
      },
      rawBody: Buffer.from(body, 'utf8'),
    };
  }

  /** What PayPal's verification endpoint decides: our signature, this webhook id, this exact event. */
  function verifies(requestBody: string): boolean {
    let fields: Record<string, unknown>;
    try {
      fields = JSON.parse(requestBody) as Record<string, unknown>;
    } catch {
      return false;
    }
    const {
      transmission_id,
      transmission_time,
      transmission_sig,
      cert_url,
      auth_algo,
      webhook_id,
      webhook_event,
    } = fields;
    if (webhook_id !== webhookId || auth_algo !== 'SHA256withRSA') return false;
    if (cert_url !== `${server.origin}/v1/notifications/certs/CERT-FAKE`) return false;
    if (typeof transmission_id !== 'string' || typeof transmission_time !== 'string') return false;
    if (typeof transmission_sig !== 'string' || typeof webhook_event !== 'object' || webhook_event === null)
      return false;
    const verifier = createVerify('RSA-SHA256');
    verifier.update(
      signedString(transmission_id, transmission_time, webhookId, JSON.stringify(webhook_event)),
    );
    return verifier.verify(publicKey, transmission_sig, 'base64');
  }

  return {
    apiBase: server.origin,
    clientId,
    clientSecret,
    webhookId,
    requests: server.requests,
    orders,
    counters,
    config: { clientId, clientSecret, webhookId, apiBase: server.origin },
    approve,
    orderApproved,
    captureCompleted,
    refund,
    dispute,
    sign,
    deliver: (url: string, paypalEvent: PayPalEvent, signOptions: PayPalSignOptions = {}) =>
      postDelivery(url, sign(paypalEvent, signOptions)),
    close: () => server.close(),
  };
}

export type FakePayPal = Awaited<ReturnType<typeof startFakePayPal>>;

function notFound() {
  return {
    name: 'RESOURCE_NOT_FOUND',
    message: 'The specified resource does not exist.',
    details: [{ issue: 'INVALID_RESOURCE_ID', description: 'Specified resource ID does not exist.' }],
  };
}

function unprocessable(issue: string) {
  return {
    name: 'UNPROCESSABLE_ENTITY',
    message:
      'The requested action could not be performed, semantically incorrect, or failed business validation.',
    details: [{ issue }],
  };
}

/** "10.50" + "4.00" → "14.50": decimal text addition for the fake's running refund total. */
function addDecimal(a: string, b: string): string {
  const digits = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const scaled = (text: string) => {
    const [whole = '0', fraction = ''] = text.split('.');
    return BigInt(whole + fraction.padEnd(digits, '0'));
  };
  const sum = (scaled(a) + scaled(b)).toString().padStart(digits + 1, '0');
  return digits === 0 ? sum : `${sum.slice(0, -digits)}.${sum.slice(-digits)}`;
}
