// packages/server/src/payments/gateway.ts
export type GatewayName = 'stripe' | 'paypal' | 'nowpayments';
/** Amounts cross the adapter boundary as decimal strings in major units ("10.50") plus ISO currency. */
export interface CreatePaymentInput {
  depositId: number;
  amount: string;
  currency: string;
  description: string;
  returnUrl: string; // `${publicUrl}/funds?deposit=<id>` etc.
  cancelUrl: string;
  notifyUrl: string; // `${publicUrl}/payments/webhook/<methodId>`
}
export interface CreatedPayment {
  paymentId: string;
  redirectUrl: string | null;
}
export type GatewayEvent =
  | {
      kind: 'paid';
      eventId: string;
      paymentId: string;
      depositId: number | null;
      amount: string;
      currency: string;
    }
  | { kind: 'failed' | 'expired'; eventId: string; paymentId: string; depositId: number | null }
  | {
      kind: 'refunded' | 'disputed';
      eventId: string;
      paymentId: string;
      amount: string;
      currency: string;
    }
  | { kind: 'ignored'; eventId: string | null };
export class InvalidNotification extends Error {} // bad/stale signature, unreadable body → HTTP 400
export interface PaymentGateway {
  readonly name: GatewayName;
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  /** Verifies the signature over the raw body; throws InvalidNotification. */
  readNotification(request: {
    headers: Record<string, string | string[] | undefined>;
    rawBody: Buffer;
  }): Promise<GatewayEvent>;
  /** Customer came back from the gateway (PayPal: capture the order). null when the gateway has no return step. */
  confirmReturn(query: Record<string, string>): Promise<GatewayEvent | null>;
}
export interface GatewayDefinition {
  name: GatewayName;
  /** Throws Error with a clear message on a bad config; returns the normalised config. */
  parseConfig(config: unknown): Record<string, string>;
  secretFields: readonly string[]; // masked in lists and logs, never shown again
  create(config: Record<string, string>): PaymentGateway;
}
