import { apiV2OpenApi } from './api-v2/openapi.js';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import { checkReadiness } from '../app/operations/check-readiness.js';
import { readPanelSnapshot } from '../app/operations/read-panel-snapshot.js';
import { CONTENT_TYPE as METRICS_TYPE } from '../metrics/registry.js';
import type { Panel } from '../panel.js';
import { ACTIONS } from './api-v2/actions.js';
import { type Answer, errorAnswer } from './api-v2/answer.js';
import { type ApiRequestOptions, isApiRequest, serveApiRequest } from './api-v2/serve-api-request.js';
import { pathOf, requestIdFor } from './request-id.js';
import { registerWebPanel } from './web/register-web-panel.js';
import { DEFAULT_WEB_ROOT, registerStaticFiles } from './web/static-files.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

function send(reply: FastifyReply, result: Answer): FastifyReply {
  return reply.code(result.status).header('content-type', JSON_TYPE).send(result.body);
}

export interface HttpServerOptions {
  /** Fastify logger setting: false in tests and benchmarks, a pino config in production. */
  readonly logger?: boolean | Record<string, unknown>;
  /** One info line per request (SMMKIT_LOG_REQUESTS); errors are logged either way. */
  readonly logRequests?: boolean;
  /** The built web panel (packages/web/dist by default). */
  readonly webRoot?: string;
}

export function buildHttpServer(panel: Panel, options: HttpServerOptions = {}): FastifyInstance {
  // API v2 requests are answered on bare node:http (see serve-api-request.ts); the rest by Fastify.
  const logRequests = options.logRequests ?? false;
  const serverFactory = (fastifyHandler: (request: IncomingMessage, response: ServerResponse) => void) =>
    createServer((request, response) => {
      if (isApiRequest(request)) void serveApiRequest(panel, request, response, apiOptions);
      else fastifyHandler(request, response);
    });
  const logger =
    typeof options.logger === 'object'
      ? {
          ...options.logger,
          // Never the query string: a GET may carry an API key in it.
          serializers: {
            req: (request: { method: string; url: string }) => ({
              method: request.method,
              url: pathOf(request.url),
            }),
          },
        }
      : (options.logger ?? false);
  const app: FastifyInstance = Fastify({
    serverFactory,
    logger,
    bodyLimit: BODY_LIMIT_BYTES,
    // Every request has an id: the caller's (or the proxy's) X-Request-Id when sane, else a new one.
    requestIdHeader: false,
    genReqId: (request) => requestIdFor(request.headers['x-request-id']),
    // Per-request info lines cost more than the request on the hot path; errors are still logged.
    logController: new LogController({ disableRequestLogging: !logRequests }),
    routerOptions: { ignoreTrailingSlash: true },
    // A URL that cannot be decoded never reaches the error handler below: answer it as it would.
    frameworkErrors: (_error, _request, reply) => {
      void send(reply, errorAnswer({ code: 'INCORRECT_REQUEST' }));
    },
  });

  const apiOptions: ApiRequestOptions = {
    bodyLimit: BODY_LIMIT_BYTES,
    log: app.log,
    logRequests,
    draining: false,
  };
  // Shutting down (app.close): the listener stops accepting and in-flight requests finish; their
  // answers say `Connection: close`, and connections left idle (keep-alive) are closed as they
  // become so, instead of holding the process until their keep-alive timeout.
  app.addHook('preClose', (done) => {
    apiOptions.draining = true;
    const reaper = setInterval(() => app.server.closeIdleConnections(), 100);
    reaper.unref();
    app.server.once('close', () => clearInterval(reaper));
    done();
  });
  panel.metrics.registerApiActions(Object.keys(ACTIONS));
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    if (apiOptions.draining) reply.raw.shouldKeepAlive = false;
    done();
  });

  // Operations: liveness, readiness (database reachable and migrated), Prometheus metrics.
  app.get('/healthz', (_request, reply) => reply.header('content-type', JSON_TYPE).send('{"status":"ok"}'));
  app.get('/readyz', async (request, reply) => {
    const readiness = await checkReadiness(panel.ctx);
    if (readiness.ready) return reply.header('content-type', JSON_TYPE).send('{"status":"ready"}');
    if (readiness.error !== undefined) request.log.error({ err: readiness.error }, 'not ready');
    const body = JSON.stringify({ status: 'not ready', reason: readiness.reason });
    return reply.code(503).header('content-type', JSON_TYPE).send(body);
  });
  // API v2 described for client generators (OpenAPI 3.1, from the action table).
  app.get('/api/v2/openapi.json', (request, reply) =>
    reply
      .header('content-type', JSON_TYPE)
      .send(JSON.stringify(apiV2OpenApi(`${request.protocol}://${request.host}`))),
  );
  app.get('/metrics', async (_request, reply) => {
    const snapshot = await readPanelSnapshot(panel.ctx);
    return reply.header('content-type', METRICS_TYPE).send(panel.metrics.render(snapshot));
  });

  // The web panel: its JSON endpoints under /web-api/ and the SPA at / (client routes fall back to it).
  registerWebPanel(app, panel);
  const web = registerStaticFiles(app, options.webRoot ?? DEFAULT_WEB_ROOT);

  app.setNotFoundHandler((request, reply) => {
    if (web.serveSpa(request, reply)) return reply;
    return send(reply, errorAnswer({ code: 'NOT_FOUND' }));
  });

  app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
    if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(reply, errorAnswer({ code: 'BODY_TOO_LARGE' }));
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      // A request Fastify could not read (bad content length, invalid URL encoding…): the client's fault.
      return send(reply, errorAnswer({ code: 'INCORRECT_REQUEST' }));
    }
    request.log.error({ err: error }, 'request failed');
    return send(reply, errorAnswer({ code: 'INTERNAL' }));
  });

  return app;
}
