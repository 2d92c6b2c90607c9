import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Panel } from '../../panel.js';
import { adminApiAccessHook, idempotencyHook, idempotencyRecorder } from './admin-api-access.js';
import { registerCatalogEndpoints } from './catalog.js';
import { adminApiOpenApi } from './openapi.js';
import { registerOrderEndpoints } from './orders.js';
import { registerPaymentEndpoints } from './payments.js';
import { sendProblem } from './problem.js';
import { registerProviderEndpoints } from './providers.js';
import { registerReferencePage } from './reference-page.js';
import { registerTicketEndpoints } from './tickets.js';
import { registerUserEndpoints } from './users.js';

/**
 * The admin API under /admin-api/v1: bearer tokens carrying their holder's staff role, the contract's
 * schemas validating every request, `Idempotency-Key` on POSTs, every failure a problem+json. Each
 * handler calls the same use case as the web admin and the CLI.
 */
export function registerAdminApi(app: FastifyInstance, panel: Panel): void {
  registerReferencePage(app);
  void app.register(
    (scope, _options, done) => {
      const api = scope.withTypeProvider<TypeBoxTypeProvider>();
      api.decorateRequest('adminCaller', null);
      api.decorateRequest('idempotent', null);
      api.addHook('onRequest', adminApiAccessHook(panel));
      api.addHook('preHandler', idempotencyHook(panel));
      api.addHook('onSend', idempotencyRecorder(panel));
      api.addHook('onSend', async (_request, reply, payload) => {
        void reply.header('cache-control', 'no-store');
        return payload;
      });
      api.setErrorHandler(
        (error: { statusCode?: number; validation?: unknown; message: string }, request, reply) => {
          if (error.validation !== undefined)
            return sendProblem(reply, 400, 'INVALID_REQUEST', error.message);
          if (error.statusCode === 413)
            return sendProblem(reply, 413, 'BODY_TOO_LARGE', 'Request body is too large');
          if (error.statusCode === 415) {
            return sendProblem(
              reply,
              415,
              'UNSUPPORTED_MEDIA_TYPE',
              'Send JSON (Content-Type: application/json)',
            );
          }
          if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
            return sendProblem(reply, error.statusCode, 'INVALID_REQUEST', error.message);
          }
          request.log.error({ err: error }, 'admin API request failed');
          return sendProblem(reply, 500, 'INTERNAL', 'Internal server error');
        },
      );
      api.setNotFoundHandler((request, reply) =>
        sendProblem(
          reply,
          404,
          'NOT_FOUND',
          `No admin API endpoint ${request.method} ${request.url.split('?')[0]}`,
        ),
      );
      api.get('/openapi.json', (request, reply) =>
        reply.send(adminApiOpenApi(`${request.protocol}://${request.host}`)),
      );
      registerUserEndpoints(api, panel);
      registerCatalogEndpoints(api, panel);
      registerOrderEndpoints(api, panel);
      registerPaymentEndpoints(api, panel);
      registerProviderEndpoints(api, panel);
      registerTicketEndpoints(api, panel);
      done();
    },
    { prefix: '/admin-api/v1' },
  );
}
