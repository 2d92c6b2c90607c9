import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { checkReadiness } from '../app/operations/check-readiness.js';
import { readPanelSnapshot } from '../app/operations/read-panel-snapshot.js';
import { CONTENT_TYPE as METRICS_TYPE } from '../metrics/registry.js';
import type { Panel } from '../panel.js';
import { ACTIONS } from './api-v2/actions.js';
import { apiV2OpenApi } from './api-v2/openapi.js';
import { type Answer, errorAnswer } from './api-v2/answer.js';
import { AnswerTurn } from './api-v2/answer-turn.js';
import { type ApiRequestOptions, isApiRequest, serveApiRequest } from './api-v2/serve-api-request.js';
import { registerPaymentGatewayRoutes } from './payments/payment-routes.js';
import { registerReferralLink } from './affiliates/referral-link.js';
import { registerBrandFiles } from './branding/brand-files.js';
import {
  type ConnectionLimits,
  DEFAULT_CONNECTION_LIMITS,
  applyConnectionCap,
  serverOptionsFor,
} from './connection-limits.js';
import { metricsAllowed } from './metrics-access.js';
import { pathOf, requestIdFor } from './request-id.js';
import { type TrustProxy } from './trust-proxy.js';
import { registerAdminApi } from './admin-api/register-admin-api.js';
import { registerPublicPages } from './public/register-public-pages.js';
import { registerWebPanel } from './web/register-web-panel.js';
import { STRICT_TRANSPORT_SECURITY } from './web/security-headers.js';
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
  /** SMMKIT_METRICS_TOKEN: /metrics then answers only `Authorization: Bearer <token>`; null/absent: open. */
  readonly metricsToken?: string | null;
  /** SMMKIT_TRUST_PROXY: whose X-Forwarded-For/-Proto give the client address and protocol. */
  readonly trustProxy?: TrustProxy;
  /** Header, request and keep-alive timeouts and the connection cap (defaults: DEFAULT_CONNECTION_LIMITS). */
  readonly connectionLimits?: ConnectionLimits;
  /**
   * Fastify's schema compilers. Unset: each server compiles its routes' schemas itself (as `serve`
   * does, once); the test suite, which starts hundreds of servers, shares the compiled ones.
   */
  readonly schemaController?: FastifyServerOptions['schemaController'];
}

/** Fastify's form of the setting: a hop count as the function Fastify itself makes of one. */
function trustProxySetting(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return typeof trust === 'object' ? [...trust] : trust;
}

export function buildHttpServer(panel: Panel, options: HttpServerOptions = {}): FastifyInstance {
  // API v2 requests are answered on bare node:http (see serve-api-request.ts); the rest by Fastify.
  const logRequests = options.logRequests ?? false;
  const limits = options.connectionLimits ?? DEFAULT_CONNECTION_LIMITS;
  const serverFactory = (fastifyHandler: (request: IncomingMessage, response: ServerResponse) => void) => {
    const server = createServer(serverOptionsFor(limits), (request, response) => {
      if (isApiRequest(request)) serveApiRequest(panel, request, response, apiOptions);
      else fastifyHandler(request, response);
    });
    applyConnectionCap(server, limits);
    return server;
  };
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
    // request.ip and request.protocol from X-Forwarded-For/-Proto only when sent by a trusted proxy.
    trustProxy: trustProxySetting(options.trustProxy ?? false),
    // A URL that cannot be decoded never reaches the error handler below: answer it as it would.
    frameworkErrors: (_error, _request, reply) => {
      void send(reply, errorAnswer({ code: 'INCORRECT_REQUEST' }));
    },
    ...(options.schemaController === undefined ? {} : { schemaController: options.schemaController }),
  });

  const apiOptions: ApiRequestOptions = {
    bodyLimit: BODY_LIMIT_BYTES,
    log: app.log,
    logRequests,
    draining: false,
    turn: new AnswerTurn(panel.ctx.db, app.log),
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
    if (request.protocol === 'https')
      void reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
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
  // `/metrics/` is the same endpoint (ignoreTrailingSlash) and is guarded the same way.
  const metricsToken = options.metricsToken ?? null;
  app.get('/metrics', async (request, reply) => {
    if (!metricsAllowed(request.headers.authorization, metricsToken)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .header('content-type', JSON_TYPE)
        .send('{"error":"Unauthorized"}');
    }
    // The database failing must not take the process's own series with it (README › Operations).
    const snapshot = await readPanelSnapshot(panel.ctx).catch((error: unknown) => {
      request.log.error({ err: error }, 'metrics: the database gauges could not be read');
      return null;
    });
    return reply.header('content-type', METRICS_TYPE).send(panel.metrics.render(snapshot));
  });

  // The web panel: its JSON endpoints under /web-api/ and the SPA at / (client routes fall back to it).
  registerWebPanel(app, panel);
  registerAdminApi(app, panel);
  // Payment gateways' notifications and return pages (README › Payments).
  registerPaymentGatewayRoutes(app, panel);
  // Customers' referral links (README › Affiliates).
  registerReferralLink(app, panel);
  // The uploaded logo and favicon (README › Branding).
  registerBrandFiles(app, panel);
  const web = registerStaticFiles(app, options.webRoot ?? DEFAULT_WEB_ROOT);
  // The public pages (README › Public pages): `/` for visitors, `/{language}/…`, sitemap, robots.
  const publicPages = registerPublicPages(app, panel, web.sendIndex);

  app.setNotFoundHandler(async (request, reply) => {
    if (await publicPages.serveNotFound(request, reply)) return reply;
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
