import { type Result, fail, ok } from '../../domain/errors.js';
import { type WebhookEvent, parseEventList } from '../../domain/webhooks.js';
import { saveWebhookEndpoint } from '../../store/webhook-endpoints.js';
import type { Context } from '../context.js';
import { findOwnEndpoint } from './own-endpoint.js';
import { type UrlPolicy, checkPublicUrl } from './public-url.js';
import { type WebhookView, webhookView } from './webhook-view.js';
import { newWebhookSecret } from './webhook-secret.js';

export interface WebhookChange {
  readonly url?: string | undefined;
  readonly events?: readonly string[] | undefined;
  readonly enabled?: boolean | undefined;
  readonly rotateSecret?: boolean | undefined;
}

export interface UpdatedWebhook {
  readonly endpoint: WebhookView;
  /** The new secret when it was rotated (shown this once), else null. */
  readonly secret: string | null;
}

/**
 * A customer changes an endpoint: its URL (checked again), events, on/off, or a new secret. Turning
 * it on again clears the failure the panel disabled it for; its waiting deliveries resume.
 */
export async function updateWebhook(
  ctx: Context,
  policy: UrlPolicy,
  userId: number,
  id: number,
  change: WebhookChange,
): Promise<Result<UpdatedWebhook>> {
  let events: WebhookEvent[] | undefined;
  if (change.events !== undefined) {
    const parsed = parseEventList(change.events);
    if (!parsed.ok) return fail({ code: 'INVALID_INPUT', field: 'events', reason: parsed.reason });
    events = parsed.events;
  }
  let url: string | undefined;
  if (change.url !== undefined) {
    const target = await checkPublicUrl(policy, change.url);
    if (!target.ok) return target;
    url = target.value.url.href;
  }
  const secret = change.rotateSecret === true ? newWebhookSecret() : null;
  return ctx.db.transaction(async (tx): Promise<Result<UpdatedWebhook>> => {
    const found = await findOwnEndpoint(tx, userId, id);
    if (!found.ok) return found;
    const endpoint = found.value;
    const enabled = change.enabled ?? endpoint.enabled;
    const reenabled = enabled && !endpoint.enabled;
    const updated = {
      ...endpoint,
      url: url ?? endpoint.url,
      events: events ?? endpoint.events,
      secret: secret ?? endpoint.secret,
      enabled,
      failingSinceAt: reenabled ? null : endpoint.failingSinceAt,
      disabledReason: enabled ? null : endpoint.disabledReason,
    };
    await saveWebhookEndpoint(tx, updated, ctx.clock.now());
    return ok({ endpoint: webhookView(updated), secret });
  });
}
