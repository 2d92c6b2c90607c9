import { type Result, fail, ok } from '../../domain/errors.js';
import type { Queryable } from '../../store/database.js';
import { type WebhookEndpoint, findWebhookEndpoint } from '../../store/webhook-endpoints.js';

/** One of the user's endpoints; another user's is indistinguishable from none. */
export async function findOwnEndpoint(
  q: Queryable,
  userId: number,
  id: number,
): Promise<Result<WebhookEndpoint>> {
  const endpoint = await findWebhookEndpoint(q, id);
  return endpoint && endpoint.userId === userId ? ok(endpoint) : fail({ code: 'WEBHOOK_NOT_FOUND', id });
}
