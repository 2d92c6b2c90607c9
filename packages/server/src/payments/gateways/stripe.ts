import Stripe from 'stripe';
import {
  InvalidNotification,
  type CreatePaymentInput,
  type CreatedPayment,
  type GatewayDefinition,
  type GatewayEvent,
  type PaymentGateway,
} from '../gateway.js';
import { currencyCode, fromMinorUnits, integerFromJson, toMinorUnits } from './currency-units.js';
import { createRequestKey, depositIdFrom, headerValue, parseGatewayConfig } from './gateway-config.js';

/** Stripe's documented default: a signature more than 5 minutes old is refused (replay protection). */
export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Stripe Checkout through the official `stripe` SDK.
 *
 * The payment id is the **Checkout Session id** (`cs_…`): the only id that exists when the deposit is
 * created (Stripe makes the PaymentIntent when the customer pays). `checkout.session.*` events carry it;
 * `charge.refunded` and `charge.dispute.created` carry the PaymentIntent, which is mapped back to its
 * session with `GET /v1/checkout/sessions?payment_intent=…` (a charge that no Checkout Session of this
 * account made is ignored). A refund's amount is the total refunded on the charge so far.
 */
export const stripeGateway: GatewayDefinition = {
  name: 'stripe',
  secretFields: ['secretKey', 'webhookSecret'],
  parseConfig: (config) =>
    parseGatewayConfig(
      {
        gateway: 'stripe',
        required: ['secretKey', 'webhookSecret'],
        optional: ['apiBase'],
        prefixes: { secretKey: ['sk_', 'rk_'], webhookSecret: ['whsec_'] },
      },
      config,
    ),
  create: (config) => new StripeCheckout(config),
};

type Json = Record<string, unknown>;

class StripeCheckout implements PaymentGateway {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;
  private readonly webhookSecret: string;

  constructor(config: Record<string, string>) {
    const { secretKey, webhookSecret, apiBase } = config;
    if (!secretKey || !webhookSecret) throw new Error('stripe config needs secretKey and webhookSecret');
    this.webhookSecret = webhookSecret;
    const base = apiBase ? new URL(apiBase) : null;
    this.stripe = new Stripe(secretKey, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      appInfo: { name: 'smmkit' },
      ...(base && {
        protocol: base.protocol === 'http:' ? 'http' : 'https',
        host: base.hostname,
        port: base.port || (base.protocol === 'http:' ? 80 : 443),
      }),
    });
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const currency = currencyCode(input.currency);
    const unitAmount = toMinorUnits(input.amount, currency);
    if (unitAmount <= 0n || unitAmount > BigInt(Number.MAX_SAFE_INTEGER))
      throw new Error(`cannot charge ${input.amount} ${currency}`);
    const depositId = String(input.depositId);
    const session = await this.stripe.checkout.sessions.create(
      {
        mode: 'payment',
        client_reference_id: depositId,
        metadata: { deposit_id: depositId },
        payment_intent_data: { metadata: { deposit_id: depositId } },
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: currency.toLowerCase(),
              unit_amount: Number(unitAmount),
              product_data: { name: input.description },
            },
          },
        ],
        success_url: input.returnUrl,
        cancel_url: input.cancelUrl,
      },
      // A retried create (our retry or the SDK's) answers the same session, never a second one.
      { idempotencyKey: createRequestKey(input) },
    );
    return { paymentId: session.id, redirectUrl: session.url ?? null };
  }

  async readNotification(request: {
    headers: Record<string, string | string[] | undefined>;
    rawBody: Buffer;
  }): Promise<GatewayEvent> {
    const signature = headerValue(request.headers, 'stripe-signature');
    if (!signature) throw new InvalidNotification('missing Stripe-Signature header');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        request.rawBody,
        signature,
        this.webhookSecret,
        STRIPE_SIGNATURE_TOLERANCE_SECONDS,
      );
    } catch (error) {
      throw new InvalidNotification(`Stripe signature refused: ${(error as Error).message}`);
    }
    const object = event.data.object as unknown as Json;
    try {
      return await this.eventOf(event.id, event.type, object);
    } catch (error) {
      // Stripe unreachable: a fault (the webhook answers 500 and Stripe retries). Anything else is a
      // signed event we cannot read.
      if (error instanceof Stripe.errors.StripeError) throw error;
      throw new InvalidNotification(`unreadable Stripe event ${event.id}: ${(error as Error).message}`);
    }
  }

  confirmReturn(): Promise<GatewayEvent | null> {
    // Checkout has no return step: the customer's return proves nothing, the signed webhook credits.
    return Promise.resolve(null);
  }

  private async eventOf(eventId: string, type: string, object: Json): Promise<GatewayEvent> {
    switch (type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded': {
        // A delayed payment method completes the session unpaid; its async_payment_* event follows.
        if (object.payment_status !== 'paid') return { kind: 'ignored', eventId };
        const currency = currencyCode(text(object.currency, 'currency'));
        return {
          kind: 'paid',
          eventId,
          paymentId: text(object.id, 'id'),
          depositId: sessionDepositId(object),
          amount: fromMinorUnits(minorAmount(object.amount_total), currency),
          currency,
        };
      }
      case 'checkout.session.expired':
      case 'checkout.session.async_payment_failed':
        return {
          kind: type === 'checkout.session.expired' ? 'expired' : 'failed',
          eventId,
          paymentId: text(object.id, 'id'),
          depositId: sessionDepositId(object),
        };
      case 'charge.refunded':
      case 'charge.dispute.created': {
        const paymentIntent = idOf(object.payment_intent);
        const sessionId = paymentIntent ? await this.sessionOfPaymentIntent(paymentIntent) : null;
        if (!sessionId) return { kind: 'ignored', eventId };
        const currency = currencyCode(text(object.currency, 'currency'));
        const minor = minorAmount(type === 'charge.refunded' ? object.amount_refunded : object.amount);
        return {
          kind: type === 'charge.refunded' ? 'refunded' : 'disputed',
          eventId,
          paymentId: sessionId,
          amount: fromMinorUnits(minor, currency),
          currency,
        };
      }
      default:
        return { kind: 'ignored', eventId };
    }
  }

  /** The Checkout Session that created a PaymentIntent; null when none did (a charge made elsewhere). */
  private async sessionOfPaymentIntent(paymentIntent: string): Promise<string | null> {
    const sessions = await this.stripe.checkout.sessions.list({ payment_intent: paymentIntent, limit: 1 });
    return sessions.data[0]?.id ?? null;
  }
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`Stripe event has no ${field}`);
  return value;
}

function minorAmount(value: unknown): bigint {
  try {
    return integerFromJson(value);
  } catch {
    throw new Error(`Stripe event has no integer amount (${String(value)})`);
  }
}

/** An expandable field: the id string, or the expanded object's id. */
function idOf(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'object' && value !== null && typeof (value as Json).id === 'string')
    return (value as Json).id as string;
  return null;
}

function sessionDepositId(session: Json): number | null {
  const metadata = session.metadata;
  const fromMetadata =
    typeof metadata === 'object' && metadata !== null ? depositIdFrom((metadata as Json).deposit_id) : null;
  return fromMetadata ?? depositIdFrom(session.client_reference_id);
}
