import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Panel } from '../../panel.js';
import { registerAdminRoutes } from './admin/register-admin-routes.js';
import { registerAccountRoutes } from './account-routes.js';
import { registerAnnouncementRoutes } from './announcement-routes.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerChallengeRoutes } from './challenge-routes.js';
import { registerTwoFactorRoutes } from './two-factor-routes.js';
import { registerCustomerAccountRoutes } from './customer/account.js';
import { registerCustomerOrderRoutes } from './customer/orders.js';
import { registerCustomerPaymentRoutes } from './customer/payments.js';
import { auditImpersonatedRequests, registerImpersonationRoutes } from './impersonation.js';
import { registerCustomerWebhookRoutes } from './customer/webhooks.js';
import { registerCustomerTicketRoutes } from './customer/tickets.js';
import { registerCustomerAffiliateRoutes } from './customer/affiliates.js';
import { registerAdminTokenRoutes } from './customer/admin-tokens.js';
import { webAccessHook } from './web-access.js';
import { sendError } from './web-reply.js';

/**
 * The web panel's JSON endpoints under /web-api/: session-cookie auth, CSRF token on every
 * state-changing request, admin routes refused to customers. Failures are `{ error, code }` with
 * a real HTTP status (unlike API v2, whose clients look for the `error` key in a 200). Every route
 * is an endpoint of `@smmkit/contract`: its schemas validate the request and serialise the answer.
 */
export function registerWebPanel(app: FastifyInstance, panel: Panel): void {
  void app.register(
    (scope, _options, done) => {
      const web = scope.withTypeProvider<TypeBoxTypeProvider>();
      web.decorateRequest('webSession', null);
      web.addHook('onRequest', webAccessHook(panel));
      // Before the answer leaves (onSend), so a client that reads the audit log next finds the entry.
      web.addHook('onSend', auditImpersonatedRequests(panel));
      web.addHook('onSend', (_request, reply, payload, next) => {
        void reply.header('cache-control', 'no-store');
        next(null, payload);
      });
      web.setErrorHandler(
        (error: { statusCode?: number; validation?: unknown; message: string }, request, reply) => {
          if (error.validation !== undefined)
            return sendError(reply, 400, `Invalid request: ${error.message}`, 'INVALID_REQUEST');
          if (error.statusCode === 413)
            return sendError(reply, 413, 'Request body is too large', 'BODY_TOO_LARGE');
          if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
            return sendError(reply, error.statusCode, 'Invalid request', 'INVALID_REQUEST');
          }
          request.log.error({ err: error }, 'web request failed');
          return sendError(reply, 500, 'Internal server error', 'INTERNAL');
        },
      );
      web.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'Not found', 'NOT_FOUND'));
      registerAuthRoutes(web, panel);
      registerChallengeRoutes(web, panel);
      registerTwoFactorRoutes(web, panel);
      // The client area: every endpoint acts on the session's own user only.
      registerCustomerOrderRoutes(web, panel);
      registerCustomerAccountRoutes(web, panel);
      registerCustomerPaymentRoutes(web, panel);
      registerAdminRoutes(web, panel);
      registerImpersonationRoutes(web, panel);
      registerCustomerWebhookRoutes(web, panel);
      registerAccountRoutes(web, panel);
      registerCustomerTicketRoutes(web, panel);
      registerAnnouncementRoutes(web, panel);
      registerCustomerAffiliateRoutes(web, panel);
      registerAdminTokenRoutes(web, panel);
      done();
    },
    { prefix: '/web-api' },
  );
}
