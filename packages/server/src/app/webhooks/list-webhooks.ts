import { findLowBalanceThreshold, findUserWebhookEndpoints } from '../../store/webhook-endpoints.js';
import type { Context } from '../context.js';
import { type WebhookView, webhookView } from './webhook-view.js';

/** A customer's endpoints (never their secrets) and their `balance.low` threshold. */
export async function listWebhooks(
  ctx: Context,
  userId: number,
): Promise<{ endpoints: WebhookView[]; lowBalanceThreshold: bigint | null }> {
  const [endpoints, lowBalanceThreshold] = await Promise.all([
    findUserWebhookEndpoints(ctx.db, userId),
    findLowBalanceThreshold(ctx.db, userId),
  ]);
  return { endpoints: endpoints.map(webhookView), lowBalanceThreshold };
}
