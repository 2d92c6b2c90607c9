import { type Result, fail, ok } from '../../domain/errors.js';
import { parseEventList } from '../../domain/webhooks.js';
import { countUserWebhookEndpoints, insertWebhookEndpoint } from '../../store/webhook-endpoints.js';
import type { Context } from '../context.js';
import { type UrlPolicy, checkPublicUrl } from './public-url.js';
import { newWebhookSecret } from './webhook-secret.js';

export const MAX_WEBHOOKS_PER_USER = 10;

export interface NewWebhook {
  readonly id: number;
  /** Shown in this answer only. */
  readonly secret: string;
}

/** A customer registers an endpoint: a public http(s) URL (checked now and at each delivery) and its events. */
export async function createWebhook(
  ctx: Context,
  policy: UrlPolicy,
  input: { userId: number; url: string; events: readonly string[] },
): Promise<Result<NewWebhook>> {
  const events = parseEventList(input.events);
  if (!events.ok) return fail({ code: 'INVALID_INPUT', field: 'events', reason: events.reason });
  const target = await checkPublicUrl(policy, input.url);
  if (!target.ok) return target;
  const secret = newWebhookSecret();
  return ctx.db.transaction(async (tx): Promise<Result<NewWebhook>> => {
    if ((await countUserWebhookEndpoints(tx, input.userId)) >= MAX_WEBHOOKS_PER_USER) {
      return fail({ code: 'TOO_MANY_WEBHOOKS', max: MAX_WEBHOOKS_PER_USER });
    }
    const id = await insertWebhookEndpoint(tx, {
      userId: input.userId,
      url: target.value.url.href,
      events: events.events,
      secret,
      now: ctx.clock.now(),
    });
    return ok({ id, secret });
  });
}
