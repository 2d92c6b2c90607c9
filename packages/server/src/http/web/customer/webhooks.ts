import * as contract from '@smmkit/contract';
import { createWebhook } from '../../../app/webhooks/create-webhook.js';
import { deleteWebhook } from '../../../app/webhooks/delete-webhook.js';
import { listWebhookDeliveries } from '../../../app/webhooks/list-webhook-deliveries.js';
import { listWebhooks } from '../../../app/webhooks/list-webhooks.js';
import { sendTestEvent } from '../../../app/webhooks/send-test-event.js';
import { updateWebhook } from '../../../app/webhooks/update-webhook.js';
import type { WebhookView } from '../../../app/webhooks/webhook-view.js';
import { setLowBalanceThreshold } from '../../../app/webhooks/set-low-balance-threshold.js';
import { formatMoney } from '../../../domain/money.js';
import { WEBHOOK_EVENTS } from '../../../domain/webhooks.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { contextOf, sessionOf } from '../web-access.js';
import { sendFailure } from '../web-reply.js';

const iso = (at: number) => new Date(at).toISOString();
const moneyOrNull = (units: bigint | null) => (units === null ? null : formatMoney(units));

function presentWebhook(view: WebhookView): contract.Webhook {
  return {
    id: view.id,
    url: view.url,
    events: view.events,
    enabled: view.enabled,
    failingSince: view.failingSinceAt === null ? null : iso(view.failingSinceAt),
    disabledReason: view.disabledReason,
    createdAt: iso(view.createdAt),
  };
}

/** The customer's webhook endpoints: their own only, the secret shown once (at creation and rotation). */
export function registerCustomerWebhookRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listWebhooks,
    handler: async (request) => {
      const listed = await listWebhooks(panel.ctx, sessionOf(request).userId);
      return {
        webhooks: listed.endpoints.map(presentWebhook),
        events: WEBHOOK_EVENTS,
        balanceLowThreshold: moneyOrNull(listed.lowBalanceThreshold),
      };
    },
  });

  web.route({
    ...contract.setBalanceLowThreshold,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const result = await setLowBalanceThreshold(contextOf(panel, request), userId, request.body.threshold);
      return result.ok ? { threshold: moneyOrNull(result.value) } : sendFailure(reply, result.failure);
    },
  });

  web.route({
    ...contract.createWebhook,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const result = await createWebhook(contextOf(panel, request), panel.urlPolicy, {
        userId,
        ...request.body,
      });
      return result.ok ? result.value : sendFailure(reply, result.failure);
    },
  });

  web.route({
    ...contract.updateWebhook,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const ctx = contextOf(panel, request);
      const result = await updateWebhook(ctx, panel.urlPolicy, userId, request.params.id, request.body);
      if (!result.ok) return sendFailure(reply, result.failure);
      return { webhook: presentWebhook(result.value.endpoint), secret: result.value.secret };
    },
  });

  web.route({
    ...contract.deleteWebhook,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const result = await deleteWebhook(contextOf(panel, request), userId, request.params.id);
      return result.ok ? { deleted: true as const } : sendFailure(reply, result.failure);
    },
  });

  web.route({
    ...contract.sendWebhookTest,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const result = await sendTestEvent(contextOf(panel, request), userId, request.params.id);
      return result.ok ? result.value : sendFailure(reply, result.failure);
    },
  });

  web.route({
    ...contract.listWebhookAttempts,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const result = await listWebhookDeliveries(contextOf(panel, request), userId, request.params.id);
      if (!result.ok) return sendFailure(reply, result.failure);
      return {
        attempts: result.value.map((entry) => ({
          at: iso(entry.attemptedAt),
          event: entry.eventType,
          messageId: entry.messageId,
          attempt: entry.attempt,
          status: entry.statusCode,
          durationMs: entry.durationMs,
          response: entry.responseExcerpt,
          error: entry.error,
          state: entry.state,
        })),
      };
    },
  });
}
