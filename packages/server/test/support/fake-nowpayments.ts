import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
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
 * A local NOWPayments: `POST /v1/invoice` (x-api-key) answering an invoice with its `invoice_url`, a
 * payment page, and IPNs as NOWPayments sends them: the JSON body POSTed to the invoice's
 * `ipn_callback_url` with `x-nowpayments-sig` = hex HMAC-SHA512 of JSON.stringify(body with keys sorted)
 * keyed with the IPN secret. `ipn` builds a notification without sending it; `deliver` sends it.
 */
export interface FakeNowPaymentsOptions {
  readonly apiKey?: string;
  readonly ipnSecret?: string;
}

interface FakeInvoice {
  readonly id: string;
  /** As NOWPayments stores it: a JSON number. */
  readonly priceAmount: number;
  readonly priceCurrency: string;
  readonly orderId: string | null;
  readonly orderDescription: string | null;
  readonly ipnCallbackUrl: string | null;
  readonly successUrl: string | null;
  readonly cancelUrl: string | null;
  paymentId: number | null;
}

export type IpnBody = Record<string, unknown>;

export interface IpnOverrides {
  /** Crypto actually received (JSON number); default the full pay_amount for paid statuses, else 0. */
  readonly actuallyPaid?: number;
  readonly priceAmount?: number;
  readonly priceCurrency?: string;
  /** ISO time; default now. Six minutes ago is stale. */
  readonly updatedAt?: string;
}

/** The fake's exchange rate: 0.0001 BTC per unit of price (the gateway's own JSON numbers; 12 digits). */
const PAY_AMOUNT_PER_UNIT = 0.0001;

export async function startFakeNowPayments(options: FakeNowPaymentsOptions = {}) {
  const apiKey = options.apiKey ?? 'FAKE-NOWPAYMENTS-API-KEY';
  const ipnSecret = options.ipnSecret ?? 'fake-nowpayments-ipn-secret';
  const invoices = new Map<string, FakeInvoice>();
  let nextId = 5_312_307_537;

  const server = await startFakeHttpServer((request, response) => {
    const { method, path, url, headers, body } = request;
    if (path === '/payment/')
      return paymentPage(method, invoices.get(url.searchParams.get('iid') ?? ''), response);
    if (headers['x-api-key'] !== apiKey)
      return sendJson(response, 403, {
        status: false,
        statusCode: 403,
        code: 'INVALID_API_KEY',
        message: 'Invalid api key',
      });
    if (method === 'POST' && path === '/v1/invoice') {
      let fields: Record<string, unknown>;
      try {
        fields = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return sendJson(response, 400, {
          status: false,
          statusCode: 400,
          code: 'INVALID_REQUEST_PARAMS',
          message: 'Invalid JSON',
        });
      }
      const invalid = (message: string) =>
        sendJson(response, 400, { status: false, statusCode: 400, code: 'INVALID_REQUEST_PARAMS', message });
      if (typeof fields.price_amount !== 'number' || !(fields.price_amount > 0))
        return invalid('"price_amount" must be a positive number');
      if (typeof fields.price_currency !== 'string') return invalid('"price_currency" is required');
      const text = (value: unknown) => (typeof value === 'string' ? value : null);
      const invoice: FakeInvoice = {
        id: String(nextId++),
        priceAmount: fields.price_amount,
        priceCurrency: fields.price_currency,
        orderId: text(fields.order_id),
        orderDescription: text(fields.order_description),
        ipnCallbackUrl: text(fields.ipn_callback_url),
        successUrl: text(fields.success_url),
        cancelUrl: text(fields.cancel_url),
        paymentId: null,
      };
      invoices.set(invoice.id, invoice);
      const now = new Date().toISOString();
      return sendJson(response, 200, {
        id: invoice.id,
        token_id: invoice.id.slice(-6),
        order_id: invoice.orderId,
        order_description: invoice.orderDescription,
        price_amount: String(invoice.priceAmount),
        price_currency: invoice.priceCurrency,
        pay_currency: null,
        ipn_callback_url: invoice.ipnCallbackUrl,
        invoice_url: `${server.origin}/payment/?iid=${invoice.id}`,
        success_url: invoice.successUrl,
        cancel_url: invoice.cancelUrl,
        created_at: now,
        updated_at: now,
        is_fixed_rate: false,
        is_fee_paid_by_user: false,
      });
    }
    return sendJson(response, 404, { status: false, statusCode: 404, message: 'Not found' });
  });

  function paymentPage(method: string, invoice: FakeInvoice | undefined, response: ServerResponse) {
    if (!invoice) return sendHtml(response, 404, '<h1>Invoice not found</h1>');
    if (method === 'POST') {
      const body = ipn(invoice.id, 'finished');
      const done = () => redirect(response, invoice.successUrl ?? server.origin);
      if (!invoice.ipnCallbackUrl) return done();
      return void postDelivery(invoice.ipnCallbackUrl, sign(body)).then(done, done);
    }
    return sendHtml(
      response,
      200,
      `<!doctype html><title>Fake NOWPayments</title><h1>Pay ${escapeHtml(String(invoice.priceAmount))} ` +
        `${escapeHtml(invoice.priceCurrency.toUpperCase())} in crypto</h1>` +
        `<form method="post" action="/payment/?iid=${escapeHtml(invoice.id)}"><button type="submit">I have paid</button></form>`,
    );
  }

  function requireInvoice(invoiceId: string): FakeInvoice {
    const invoice = invoices.get(invoiceId);
    if (!invoice) throw new Error(`fake NOWPayments has no invoice ${invoiceId}`);
    return invoice;
  }

  /** The IPN NOWPayments sends when the invoice's payment reaches `status`. */
  function ipn(invoiceId: string, status: string, overrides: IpnOverrides = {}): IpnBody {
    const invoice = requireInvoice(invoiceId);
    invoice.paymentId ??= nextId++ + 1_000_000_000;
    const payAmount = Number((invoice.priceAmount * PAY_AMOUNT_PER_UNIT).toPrecision(12));
    const paidStatuses = ['finished', 'confirmed', 'sending', 'refunded'];
    const actuallyPaid = overrides.actuallyPaid ?? (paidStatuses.includes(status) ? payAmount : 0);
    const now = overrides.updatedAt ?? new Date().toISOString();
    return {
      payment_id: invoice.paymentId,
      parent_payment_id: null,
      invoice_id: Number(invoice.id),
      payment_status: status,
      pay_address: 'bc1qfakeaddressfakeaddressfakeaddress0000',
      payin_extra_id: null,
      price_amount: overrides.priceAmount ?? invoice.priceAmount,
      price_currency: overrides.priceCurrency ?? invoice.priceCurrency,
      pay_amount: payAmount,
      actually_paid: actuallyPaid,
      actually_paid_at_fiat: 0,
      pay_currency: 'btc',
      order_id: invoice.orderId,
      order_description: invoice.orderDescription,
      purchase_id: String(invoice.paymentId + 7),
      outcome_amount: actuallyPaid,
      outcome_currency: 'btc',
      payment_extra_ids: null,
      fee: { currency: 'btc', depositFee: 0, withdrawalFee: 0, serviceFee: 0 },
      created_at: now,
      updated_at: now,
    };
  }

  /** As NOWPayments POSTs it: the body as is, the signature over its sorted form. */
  function sign(body: IpnBody, signOptions: { secret?: string } = {}): SignedDelivery {
    const signature = createHmac('sha512', signOptions.secret ?? ipnSecret)
      .update(JSON.stringify(sortKeys(body)))
      .digest('hex');
    return {
      headers: { 'x-nowpayments-sig': signature },
      rawBody: Buffer.from(JSON.stringify(body), 'utf8'),
    };
  }

  return {
    apiBase: server.origin,
    apiKey,
    ipnSecret,
    requests: server.requests,
    invoices,
    config: { apiKey, ipnSecret, apiBase: server.origin },
    ipn,
    sign,
    /** POSTs the IPN (signed, or with another secret) to `url`, default the invoice's ipn_callback_url. */
    deliver: (body: IpnBody, signOptions: { secret?: string; url?: string } = {}) => {
      const url = signOptions.url ?? requireInvoice(String(body.invoice_id)).ipnCallbackUrl;
      if (!url) throw new Error('no IPN callback URL');
      return postDelivery(url, sign(body, signOptions));
    },
    close: () => server.close(),
  };
}

export type FakeNowPayments = Awaited<ReturnType<typeof startFakeNowPayments>>;

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
