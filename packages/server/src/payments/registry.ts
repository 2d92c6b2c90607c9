import type { GatewayDefinition } from './gateway.js';
import { gatewayDefinitions } from './gateways/index.js';

/**
 * The gateways this panel can take payments through, by the name a payment method stores. The
 * gateway adapters (payments/gateways/) register here; `manual` is no gateway (the admin settles
 * its deposits) and is never in this table.
 */
const definitions = new Map<string, GatewayDefinition>(Object.entries(gatewayDefinitions));

/** Makes a gateway available under `name` (the adapters at start-up; the tests, their own gateway). */
export function registerGateway(name: string, definition: GatewayDefinition): void {
  definitions.set(name, definition);
}

export function findGateway(name: string): GatewayDefinition | null {
  return definitions.get(name) ?? null;
}

/** The names `--gateway` accepts besides `manual`. */
export function gatewayNames(): string[] {
  return [...definitions.keys()].sort();
}
