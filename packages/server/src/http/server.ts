import Fastify, { type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import type { Panel } from '../panel.js';
import { type Answer, errorAnswer } from './api-v2/answer.js';
import { handleApiRequest } from './api-v2/handle-api-request.js';
import { MalformedParams, type Params, paramsFromBody, paramsFromQuery } from './request-params.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

function send(reply: FastifyReply, result: Answer): FastifyReply {
  return reply.code(result.status).header('content-type', JSON_TYPE).send(result.body);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export interface HttpServerOptions {
  /** Fastify logger setting: false in tests and benchmarks, a pino config in production. */
  readonly logger?: boolean | Record<string, unknown>;
}

export function buildHttpServer(panel: Panel, options: HttpServerOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Per-request info lines cost more than the request on the hot path; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
    // A URL that cannot be decoded never reaches the error handler below: answer it as it would.
    frameworkErrors: (_error, _request, reply) => {
      void send(reply, errorAnswer({ code: 'INCORRECT_REQUEST' }));
    },
  });

  // Every body arrives as raw bytes; `paramsFromBody` decides how to read it. Fastify enforces the limit.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.route({
    method: ['GET', 'POST'],
    url: '/api/v2',
    handler: async (request, reply) => {
      let params: Params;
      try {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        // Query-string parameters are merged in; the body wins.
        params = Object.assign(
          paramsFromQuery(request.query),
          await paramsFromBody(body, request.headers['content-type']),
        );
      } catch (error) {
        if (error instanceof MalformedParams) return send(reply, errorAnswer({ code: 'INCORRECT_REQUEST' }));
        throw error;
      }
      const result = await handleApiRequest(panel, params, {
        idempotencyKey: header(request.headers['idempotency-key']),
      });
      return send(reply, result);
    },
  });

  app.setNotFoundHandler((_request, reply) => send(reply, errorAnswer({ code: 'NOT_FOUND' })));

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
