import { findUserWebhookEndpoints } from '../../store/webhook-endpoints.js';
import type { Context } from '../context.js';
import { type WebhookView, webhookView } from './webhook-view.js';

export async function listWebhooks(ctx: Context, userId: number): Promise<WebhookView[]> {
  return (await findUserWebhookEndpoints(ctx.db, userId)).map(webhookView);
}
