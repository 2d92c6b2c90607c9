import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  InvalidNotification,
  type CreatePaymentInput,
  type CreatedPayment,
  type GatewayDefinition,
  type GatewayEvent,
  type PaymentGateway,
} from '../gateway.js';
import {
  currencyCode,
  decimalFromJsonNumber,
  fromMinorUnits,
  normaliseDecimal,
  scaledDecimal,
  toMinorUnits,
} from './currency-units.js';
import { depositIdFrom, headerValue, parseGatewayConfig } from './gateway-config.js';

export const NOWPAYMENTS_API = 'https://api.nowpayments.io';
/** An IPN whose `updated_at` is more than 5 minutes old is refused (replay protection). */
export const NOWPAYMENTS_IPN_TOLERANCE_MS = 300_000;
/** Crypto amounts carry up to 18 decimals (wei); the partial-payment ratio is computed at that scale. */
const CRYPTO_SCALE = 18;

/**
 * NOWPayments crypto invoices over plain `fetch`, per its published API (it has no official Node SDK).
 *
 * The payment id is the **invoice id**. `POST /v1/invoice` (x-api-key; price in the panel currency,
 * order_id = deposit id, ipn_callback_url = our webhook) → the customer pays on `invoice_url` in a
 * coin of their choice → NOWPayments POSTs an IPN per status change, signed with `x-nowpayments-sig`:
 * the hex HMAC-SHA512 of the JSON body with its keys sorted (recursively), keyed with the IPN secret.
 * Statuses: `finished` → paid (price_amount, price_currency); `partially_paid` → paid with the share of
 * the price actually paid, always below the price, so the core's amount check sends it to review;
 * `failed`, `expired` → failed, expired; `refunded` → refunded; the rest (waiting, confirming,
 * confirmed, sending) → ignored. The event id is `<payment id>:<status>`: NOWPayments resends an IPN
 * with the same status, which reads the same.
 */
export const nowpaymentsGateway: GatewayDefinition = {
  name: 'nowpayments',
  secretFields: ['apiKey', 'ipnSecret'],
  parseConfig: (config) =>
    parseGatewayConfig(
      { gateway: 'nowpayments', required: ['apiKey', 'ipnSecret'], optional: ['apiBase'] },
      config,
    ),
  create: (config) => new NowPaymentsInvoices(config),
};

type Json = Record<string, unknown>;

class NowPaymentsInvoices implements PaymentGateway {
  readonly name = 'nowpayments' as const;
  private readonly base: string;

  constructor(private readonly config: Record<string, string>) {
    if (!config.apiKey || !config.ipnSecret) throw new Error('nowpayments config needs apiKey and ipnSecret');
    this.base = config.apiBase ?? NOWPAYMENTS_API;
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const currency = currencyCode(input.currency);
    const price = normaliseDecimal(input.amount, currency);
    if (toMinorUnits(price, currency) <= 0n) throw new Error(`cannot charge ${input.amount} ${currency}`);
    const fields = JSON.stringify({
      price_currency: currency.toLowerCase(),
      order_id: String(input.depositId),
      order_description: input.description,
      ipn_callback_url: input.notifyUrl,
      success_url: input.returnUrl,
      cancel_url: input.cancelUrl,
    });
    // price_amount is a JSON number: written from the exact decimal text, never through a float.
    const body = `{"price_amount":${price},${fields.slice(1)}`;
    const response = await fetch(`${this.base}/v1/invoice`, {
      method: 'POST',
      headers: {
        'x-api-key': this.config.apiKey!,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    const invoice = parseJsonObject(text);
    const id = invoice ? idText(invoice.id) : null;
    if (!response.ok || !invoice || !id) {
      const reason = invoice && typeof invoice.message === 'string' ? `: ${invoice.message}` : '';
      throw new Error(`NOWPayments create invoice answered ${response.status}${reason}`);
    }
    return {
      paymentId: id,
      redirectUrl: typeof invoice.invoice_url === 'string' ? invoice.invoice_url : null,
    };
  }

  readNotification(request: {
    headers: Record<string, string | string[] | undefined>;
    rawBody: Buffer;
  }): Promise<GatewayEvent> {
    try {
      return Promise.resolve(this.read(request.headers, request.rawBody));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  confirmReturn(): Promise<GatewayEvent | null> {
    // The success page proves nothing; the signed IPN credits.
    return Promise.resolve(null);
  }

  private read(headers: Record<string, string | string[] | undefined>, rawBody: Buffer): GatewayEvent {
    const signature = headerValue(headers, 'x-nowpayments-sig');
    if (!signature) throw new InvalidNotification('missing x-nowpayments-sig header');
    const body = parseJsonObject(rawBody.toString('utf8'));
    if (!body) throw new InvalidNotification('NOWPayments IPN body is not a JSON object');
    if (!signatureMatches(signature, ipnSignature(body, this.config.ipnSecret!)))
      throw new InvalidNotification('NOWPayments IPN signature does not match');
    const updatedAt = timeOf(body.updated_at);
    if (updatedAt !== null && Date.now() - updatedAt > NOWPAYMENTS_IPN_TOLERANCE_MS)
      throw new InvalidNotification(`stale NOWPayments IPN (updated_at ${String(body.updated_at)})`);

    const status = typeof body.payment_status === 'string' ? body.payment_status : '';
    const paymentId = idText(body.payment_id);
    const invoiceId = idText(body.invoice_id);
    const eventId = `${paymentId ?? 'unknown'}:${status}`;
    // A payment not made through one of our invoices (invoice_id null) is not a deposit's.
    if (!invoiceId || !paymentId) return { kind: 'ignored', eventId: paymentId ? eventId : null };
    const depositId = depositIdFrom(body.order_id);
    try {
      switch (status) {
        case 'finished':
          return { kind: 'paid', eventId, paymentId: invoiceId, depositId, ...price(body) };
        case 'partially_paid':
          return { kind: 'paid', eventId, paymentId: invoiceId, depositId, ...partialPrice(body) };
        case 'failed':
        case 'expired':
          return { kind: status, eventId, paymentId: invoiceId, depositId };
        case 'refunded':
          return { kind: 'refunded', eventId, paymentId: invoiceId, ...price(body) };
        default:
          return { kind: 'ignored', eventId };
      }
    } catch (error) {
      throw new InvalidNotification(`unreadable NOWPayments IPN: ${(error as Error).message}`);
    }
  }
}

/** NOWPayments' documented check: HMAC-SHA512 of JSON.stringify(body with keys sorted), hex. */
export function ipnSignature(body: Json, secret: string): string {
  return createHmac('sha512', secret)
    .update(JSON.stringify(sortKeys(body)))
    .digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Json)[key])]),
  );
}

function signatureMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given.trim().toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function price(body: Json): { amount: string; currency: string } {
  if (typeof body.price_currency !== 'string') throw new Error('no price_currency');
  const currency = currencyCode(body.price_currency);
  return { amount: normaliseDecimal(decimalFromJsonNumber(body.price_amount), currency), currency };
}

/** price × actually_paid / pay_amount, rounded down to the minor unit and kept below the price. */
function partialPrice(body: Json): { amount: string; currency: string } {
  const full = price(body);
  const priceMinor = toMinorUnits(full.amount, full.currency);
  const paid = scaledDecimal(decimalFromJsonNumber(body.actually_paid ?? 0), CRYPTO_SCALE);
  const due = scaledDecimal(decimalFromJsonNumber(body.pay_amount ?? 0), CRYPTO_SCALE);
  const share = due > 0n ? (priceMinor * paid) / due : 0n;
  const below = share >= priceMinor ? priceMinor - 1n : share;
  return { amount: fromMinorUnits(below < 0n ? 0n : below, full.currency), currency: full.currency };
}

/** An id NOWPayments sends as a JSON number or a string: its decimal text. */
function idText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value)) return value;
  return null;
}

/** `updated_at` as NOWPayments sends it (ISO text or epoch milliseconds); null when absent or unreadable. */
function timeOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || value === '') return null;
  const parsed = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(parsed) ? parsed : null;
}

function parseJsonObject(text: string): Json | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : null;
  } catch {
    return null;
  }
}
