import {
  InvalidNotification,
  type CreatePaymentInput,
  type CreatedPayment,
  type GatewayDefinition,
  type GatewayEvent,
  type PaymentGateway,
} from '../gateway.js';
import { currencyCode, minorUnitDigits, normaliseDecimal } from './currency-units.js';
import { createRequestKey, depositIdFrom, headerValue, parseGatewayConfig } from './gateway-config.js';

export const PAYPAL_LIVE_API = 'https://api-m.paypal.com';
/** PayPal does not bound a notification's age; we refuse one transmitted more than 5 minutes ago. */
export const PAYPAL_TRANSMISSION_TOLERANCE_MS = 300_000;

/**
 * PayPal Checkout, Orders v2, over plain `fetch` per PayPal's REST reference. PayPal's server SDK
 * (`@paypal/paypal-server-sdk`) was not used: it only reaches PayPal's two fixed hosts (no `apiBase`,
 * so it cannot be pointed at a local server), has no webhook-verification call, and brings axios and
 * five code-generator packages for the four calls made here.
 *
 * The payment id is the **order id**. Create the order (intent CAPTURE, custom_id = deposit id) → the
 * customer approves it at PayPal → the return (`?token=<order id>`) captures it and the capture is the
 * paid event. The webhook is the backup path: `CHECKOUT.ORDER.APPROVED` captures an order whose customer
 * never came back, `PAYMENT.CAPTURE.COMPLETED` reports a capture, `PAYMENT.CAPTURE.REFUNDED` and
 * `CUSTOMER.DISPUTE.CREATED` reach the order through their capture. Notifications are verified by PayPal
 * (`POST /v1/notifications/verify-webhook-signature` with our webhook id and the raw event).
 */
export const paypalGateway: GatewayDefinition = {
  name: 'paypal',
  secretFields: ['clientSecret'],
  parseConfig: (config) =>
    parseGatewayConfig(
      { gateway: 'paypal', required: ['clientId', 'clientSecret', 'webhookId'], optional: ['apiBase'] },
      config,
    ),
  create: (config) => new PayPalCheckout(config),
};

type Json = Record<string, unknown>;

/** PayPal charges these without decimals (HUF and TWD too, unlike Stripe). */
function paypalDigits(currency: string): number {
  return ['HUF', 'JPY', 'TWD'].includes(currency) ? 0 : minorUnitDigits(currency);
}

class PayPalApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json | null,
    what: string,
  ) {
    const issue = issueOf(body);
    super(`PayPal ${what} answered ${status}${issue ? ` ${issue}` : ''}`);
  }
}

class PayPalCheckout implements PaymentGateway {
  readonly name = 'paypal' as const;
  private readonly base: string;
  private token: { value: string; expiresAt: number } | null = null;
  private pendingToken: Promise<string> | null = null;

  constructor(private readonly config: Record<string, string>) {
    if (!config.clientId || !config.clientSecret || !config.webhookId)
      throw new Error('paypal config needs clientId, clientSecret and webhookId');
    this.base = config.apiBase ?? PAYPAL_LIVE_API;
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const currency = currencyCode(input.currency);
    const value = normaliseDecimal(input.amount, currency, paypalDigits(currency));
    if (/^0+(\.0+)?$/.test(value)) throw new Error(`cannot charge ${input.amount} ${currency}`);
    const depositId = String(input.depositId);
    const order = await this.call('POST', '/v2/checkout/orders', 'create order', {
      headers: { 'PayPal-Request-Id': createRequestKey(input) },
      body: JSON.stringify({
        intent: 'CAPTURE',
        purchase_units: [
          {
            reference_id: `deposit-${depositId}`,
            custom_id: depositId,
            description: input.description.slice(0, 127),
            amount: { currency_code: currency, value },
          },
        ],
        payment_source: {
          paypal: {
            experience_context: {
              return_url: input.returnUrl,
              cancel_url: input.cancelUrl,
              user_action: 'PAY_NOW',
              shipping_preference: 'NO_SHIPPING',
            },
          },
        },
      }),
    });
    const id = stringField(order.id);
    if (!id) throw new Error('PayPal created an order without an id');
    const approve = links(order).find((link) => link.rel === 'payer-action' || link.rel === 'approve');
    return { paymentId: id, redirectUrl: approve?.href ?? null };
  }

  async confirmReturn(query: Record<string, string>): Promise<GatewayEvent | null> {
    const orderId = query.token;
    if (!orderId || !/^[A-Za-z0-9-]{5,64}$/.test(orderId))
      throw new InvalidNotification('PayPal return without a valid token');
    return this.captureOrder(orderId);
  }

  async readNotification(request: {
    headers: Record<string, string | string[] | undefined>;
    rawBody: Buffer;
  }): Promise<GatewayEvent> {
    const header = (name: string) => headerValue(request.headers, name);
    const transmission = {
      auth_algo: header('paypal-auth-algo'),
      cert_url: header('paypal-cert-url'),
      transmission_id: header('paypal-transmission-id'),
      transmission_sig: header('paypal-transmission-sig'),
      transmission_time: header('paypal-transmission-time'),
    };
    const missing = Object.entries(transmission).find(([, value]) => value === null);
    if (missing) throw new InvalidNotification(`PayPal notification without ${missing[0]}`);
    const sentAt = Date.parse(transmission.transmission_time!);
    if (!Number.isFinite(sentAt) || Math.abs(Date.now() - sentAt) > PAYPAL_TRANSMISSION_TOLERANCE_MS)
      throw new InvalidNotification(`stale PayPal transmission time ${transmission.transmission_time}`);
    const raw = request.rawBody.toString('utf8');
    let event: Json;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!isJson(parsed)) throw new Error('not an object');
      event = parsed;
    } catch {
      throw new InvalidNotification('PayPal notification body is not a JSON object');
    }
    await this.verify(transmission as Record<string, string>, raw);
    const eventId = stringField(event.id);
    if (!eventId) throw new InvalidNotification('PayPal notification without an id');
    const resource = isJson(event.resource) ? event.resource : {};
    return this.eventOf(eventId, stringField(event.event_type) ?? '', resource);
  }

  /** PayPal checks the signature itself; the event goes in as received, byte for byte (no re-encoding). */
  private async verify(transmission: Record<string, string>, rawEvent: string): Promise<void> {
    const fields = { ...transmission, webhook_id: this.config.webhookId! };
    const body = `${JSON.stringify(fields).slice(0, -1)},"webhook_event":${rawEvent}}`;
    let answer: Json;
    try {
      answer = await this.call('POST', '/v1/notifications/verify-webhook-signature', 'verify webhook', {
        body,
      });
    } catch (error) {
      // PayPal refusing the request itself (400/422: malformed fields) means it did not verify.
      if (error instanceof PayPalApiError && (error.status === 400 || error.status === 422))
        throw new InvalidNotification(error.message);
      throw error;
    }
    if (answer.verification_status !== 'SUCCESS')
      throw new InvalidNotification(
        `PayPal did not verify the notification (${String(answer.verification_status)})`,
      );
  }

  private async eventOf(eventId: string, type: string, resource: Json): Promise<GatewayEvent> {
    switch (type) {
      case 'CHECKOUT.ORDER.APPROVED': {
        const orderId = stringField(resource.id);
        return orderId ? this.captureOrder(orderId) : { kind: 'ignored', eventId };
      }
      case 'PAYMENT.CAPTURE.COMPLETED':
      case 'PAYMENT.CAPTURE.DENIED': {
        const orderId = await this.orderOfCapture(resource);
        if (!orderId) return { kind: 'ignored', eventId };
        return captureEvent(eventId, orderId, resource, depositIdFrom(resource.custom_id));
      }
      case 'PAYMENT.CAPTURE.REFUNDED': {
        const captureId = links(resource)
          .find((link) => link.rel === 'up')
          ?.href.match(/\/captures\/([^/?]+)/)?.[1];
        const capture = captureId ? await this.getCapture(captureId) : null;
        const orderId = capture ? orderOfCaptureResource(capture) : null;
        const breakdown = isJson(resource.seller_payable_breakdown) ? resource.seller_payable_breakdown : {};
        const total = money(breakdown.total_refunded_amount) ?? money(resource.amount);
        if (!orderId || !total) return { kind: 'ignored', eventId };
        return { kind: 'refunded', eventId, paymentId: orderId, ...total };
      }
      case 'CUSTOMER.DISPUTE.CREATED': {
        const transactions = Array.isArray(resource.disputed_transactions)
          ? resource.disputed_transactions
          : [];
        const first: unknown = transactions[0];
        const captureId = isJson(first) ? stringField(first.seller_transaction_id) : null;
        const capture = captureId ? await this.getCapture(captureId) : null;
        const orderId = capture ? orderOfCaptureResource(capture) : null;
        const amount = money(resource.dispute_amount);
        if (!orderId || !amount) return { kind: 'ignored', eventId };
        return { kind: 'disputed', eventId, paymentId: orderId, ...amount };
      }
      default:
        return { kind: 'ignored', eventId };
    }
  }

  /**
   * Captures an approved order (the event id is `capture:<capture id>`, whether the return or the
   * CHECKOUT.ORDER.APPROVED webhook asked); an order captured before answers its capture again.
   */
  private async captureOrder(orderId: string): Promise<GatewayEvent> {
    let order: Json;
    try {
      order = await this.call(
        'POST',
        `/v2/checkout/orders/${encodeURIComponent(orderId)}/capture`,
        'capture',
        {
          headers: { 'PayPal-Request-Id': `smmkit-capture-${orderId}` },
          body: '{}',
        },
      );
    } catch (error) {
      if (!(error instanceof PayPalApiError)) throw error;
      const issue = issueOf(error.body);
      if (error.status === 404) throw new InvalidNotification(`unknown PayPal order ${orderId}`);
      if (error.status !== 422) throw error;
      if (issue !== 'ORDER_ALREADY_CAPTURED') return { kind: 'ignored', eventId: null }; // not approved (yet)
      order = await this.call('GET', `/v2/checkout/orders/${encodeURIComponent(orderId)}`, 'get order');
    }
    const unit: unknown = Array.isArray(order.purchase_units) ? order.purchase_units[0] : undefined;
    const payments = isJson(unit) && isJson(unit.payments) ? unit.payments : {};
    const capture: unknown = Array.isArray(payments.captures) ? payments.captures[0] : undefined;
    if (!isJson(capture)) return { kind: 'ignored', eventId: null };
    const depositId =
      depositIdFrom(capture.custom_id) ?? (isJson(unit) ? depositIdFrom(unit.custom_id) : null);
    const captureId = stringField(capture.id) ?? orderId;
    return captureEvent(`capture:${captureId}`, orderId, capture, depositId);
  }

  private async orderOfCapture(capture: Json): Promise<string | null> {
    const known = orderOfCaptureResource(capture);
    if (known) return known;
    const id = stringField(capture.id);
    const fetched = id ? await this.getCapture(id) : null;
    return fetched ? orderOfCaptureResource(fetched) : null;
  }

  private async getCapture(captureId: string): Promise<Json | null> {
    try {
      return await this.call('GET', `/v2/payments/captures/${encodeURIComponent(captureId)}`, 'get capture');
    } catch (error) {
      if (error instanceof PayPalApiError && error.status === 404) return null;
      throw error;
    }
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    what: string,
    options: { headers?: Record<string, string>; body?: string } = {},
    retried = false,
  ): Promise<Json> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.accessToken()}`,
        'content-type': 'application/json',
        accept: 'application/json',
        ...options.headers,
      },
      body: options.body,
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    const json = parseJsonObject(text);
    if (response.status === 401 && !retried) {
      this.token = null; // revoked or expired early: one fresh token, one retry
      return this.call(method, path, what, options, true);
    }
    if (!response.ok || !json) throw new PayPalApiError(response.status, json, what);
    return json;
  }

  /** OAuth 2.0 client credentials; one token shared until a minute before it expires. */
  private accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now() + 60_000) return Promise.resolve(this.token.value);
    this.pendingToken ??= this.fetchToken().finally(() => {
      this.pendingToken = null;
    });
    return this.pendingToken;
  }

  private async fetchToken(): Promise<string> {
    const basic = Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64');
    const response = await fetch(`${this.base}/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.timeout(20_000),
    });
    const json = parseJsonObject(await response.text());
    const value = json ? stringField(json.access_token) : null;
    if (!response.ok || !json || !value) throw new PayPalApiError(response.status, json, 'OAuth token');
    const lifetime = typeof json.expires_in === 'number' ? json.expires_in : 300;
    this.token = { value, expiresAt: Date.now() + lifetime * 1000 };
    return value;
  }
}

function captureEvent(
  eventId: string,
  orderId: string,
  capture: Json,
  depositId: number | null,
): GatewayEvent {
  const status = stringField(capture.status);
  if (status === 'DECLINED' || status === 'FAILED')
    return { kind: 'failed', eventId, paymentId: orderId, depositId };
  const amount = money(capture.amount);
  // PENDING (e.g. an eCheck): PAYMENT.CAPTURE.COMPLETED follows when the money arrives.
  if (status !== 'COMPLETED' || !amount) return { kind: 'ignored', eventId };
  return { kind: 'paid', eventId, paymentId: orderId, depositId, ...amount };
}

function orderOfCaptureResource(capture: Json): string | null {
  const data = isJson(capture.supplementary_data) ? capture.supplementary_data : {};
  const related = isJson(data.related_ids) ? data.related_ids : {};
  return stringField(related.order_id);
}

/** PayPal's `{currency_code, value}` as the boundary's exact decimal string and ISO code. */
function money(value: unknown): { amount: string; currency: string } | null {
  if (!isJson(value) || typeof value.value !== 'string' || typeof value.currency_code !== 'string')
    return null;
  try {
    const currency = currencyCode(value.currency_code);
    return { amount: normaliseDecimal(value.value, currency, paypalDigits(currency)), currency };
  } catch {
    throw new InvalidNotification(`unreadable PayPal amount ${value.value} ${value.currency_code}`);
  }
}

function links(object: Json): { rel: string; href: string }[] {
  if (!Array.isArray(object.links)) return [];
  return object.links.flatMap((link: unknown) =>
    isJson(link) && typeof link.rel === 'string' && typeof link.href === 'string'
      ? [{ rel: link.rel, href: link.href }]
      : [],
  );
}

function issueOf(body: Json | null): string | null {
  if (!body) return null;
  const detail: unknown = Array.isArray(body.details) ? body.details[0] : undefined;
  if (isJson(detail) && typeof detail.issue === 'string') return detail.issue;
  return stringField(body.name) ?? stringField(body.error);
}

function stringField(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonObject(text: string): Json | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return isJson(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
