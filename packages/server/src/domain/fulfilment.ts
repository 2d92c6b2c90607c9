import { readStoredValue } from './stored-value.js';

/** How a service's orders are fulfilled: by hand (an admin records progress), or forwarded to a provider. */
export const SERVICE_MODES = ['manual', 'provider'] as const;
export type ServiceMode = (typeof SERVICE_MODES)[number];

/** What a provider's refusal of an order does: cancel and refund it, or hold it for an admin's review. */
export const REFUSAL_POLICIES = ['cancel', 'review'] as const;
export type RefusalPolicy = (typeof REFUSAL_POLICIES)[number];

/** How the dispatcher treats a provider. */
export interface ProviderPolicy {
  /** The provider replays a repeated `request_id` instead of ordering twice, so a resend is safe. */
  readonly honoursRequestId: boolean;
  readonly onRefusal: RefusalPolicy;
}

export function readServiceMode(stored: string): ServiceMode {
  return readStoredValue(SERVICE_MODES, stored, 'service mode');
}

export function readRefusalPolicy(stored: string): RefusalPolicy {
  return readStoredValue(REFUSAL_POLICIES, stored, 'provider refusal policy');
}
