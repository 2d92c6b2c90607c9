import type { WebhookEvent } from '../../domain/webhooks.js';
import type { WebhookEndpoint } from '../../store/webhook-endpoints.js';

/** An endpoint as its owner sees it: never its secret. */
export interface WebhookView {
  readonly id: number;
  readonly url: string;
  readonly events: readonly WebhookEvent[];
  readonly enabled: boolean;
  readonly failingSinceAt: number | null;
  readonly disabledReason: string | null;
  readonly createdAt: number;
}

export function webhookView(endpoint: WebhookEndpoint): WebhookView {
  const { id, url, events, enabled, failingSinceAt, disabledReason, createdAt } = endpoint;
  return { id, url, events, enabled, failingSinceAt, disabledReason, createdAt };
}
