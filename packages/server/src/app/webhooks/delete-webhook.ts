import { type Result, ok } from '../../domain/errors.js';
import { deleteWebhookEndpoint } from '../../store/webhook-endpoints.js';
import type { Context } from '../context.js';
import { findOwnEndpoint } from './own-endpoint.js';

/** A customer removes an endpoint, with its waiting deliveries and its log. */
export async function deleteWebhook(ctx: Context, userId: number, id: number): Promise<Result<true>> {
  return ctx.db.transaction(async (tx): Promise<Result<true>> => {
    const found = await findOwnEndpoint(tx, userId, id);
    if (!found.ok) return found;
    await deleteWebhookEndpoint(tx, id);
    return ok(true);
  });
}
