import type { GatewayDefinition, GatewayName } from '../gateway.js';
import { nowpaymentsGateway } from './nowpayments.js';
import { paypalGateway } from './paypal.js';
import { stripeGateway } from './stripe.js';

/**
 * Every online gateway a payment method may use, by name: its config reader (clear errors for a missing
 * or unknown key and a bad `apiBase`), the fields masked once saved, and the adapter factory.
 * See docs/payments-gateways.md for each gateway's config and webhook set-up.
 */
export const gatewayDefinitions: Readonly<Record<GatewayName, GatewayDefinition>> = {
  stripe: stripeGateway,
  paypal: paypalGateway,
  nowpayments: nowpaymentsGateway,
};

export const GATEWAY_NAMES = Object.keys(gatewayDefinitions) as readonly GatewayName[];

export function isGatewayName(name: string): name is GatewayName {
  return Object.hasOwn(gatewayDefinitions, name);
}

/** The config with every secret field replaced by a mask, for lists and logs. */
export function maskGatewayConfig(name: GatewayName, config: Record<string, string>): Record<string, string> {
  const secret = gatewayDefinitions[name].secretFields;
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, secret.includes(key) ? maskSecret(value) : value]),
  );
}

/** "sk_live_…" → "sk_l••••": a hint at which key is set, never enough of it to use. */
function maskSecret(value: string): string {
  return `${value.slice(0, Math.min(4, Math.floor(value.length / 4)))}••••`;
}
