import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ApiOutcome } from '../../metrics/panel-metrics.js';
import { type Eager, thenEager } from '../../domain/eager.js';
import type { Panel } from '../../panel.js';
import { pathOf, requestIdFor } from '../request-id.js';
import {
  MalformedParams,
  type Params,
  isMultipart,
  paramsFromBody,
  paramsFromMultipart,
  paramsFromQueryString,
} from '../request-params.js';
import { type Answer, errorAnswer } from './answer.js';
import type { AnswerTurn } from './answer-turn.js';
import { handleApiRequest } from './handle-api-request.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export interface ApiRequestLog {
  error(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface ApiRequestOptions {
  readonly bodyLimit: number;
  readonly log: ApiRequestLog;
  /** One info line per request; errors are logged either way. */
  readonly logRequests: boolean;
  /** Set when the server shuts down: answers then close their connection instead of keeping it alive. */
  draining: boolean;
  /** Requests that arrive in the same turn of the event loop (see `AnswerTurn`). */
  readonly turn: AnswerTurn;
}

/** `/api/v2` or `/api/v2/`, with or without a query string. */
export function isApiRequest(request: IncomingMessage): boolean {
  if (request.method !== 'POST' && request.method !== 'GET') return false;
  const url = request.url ?? '';
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  return path === '/api/v2' || path === '/api/v2/';
}

function write(response: ServerResponse, answer: Answer, requestId: string): void {
  // A string body leaves with the headers in one write; a Buffer would take a second (writev).
  const length = typeof answer.body === 'string' ? Buffer.byteLength(answer.body) : answer.body.length;
  const headers: Record<string, string | number> = {
    'content-type': JSON_TYPE,
    'content-length': length,
    'x-request-id': requestId,
  };
  if (answer.retryAfter !== undefined) headers['retry-after'] = answer.retryAfter;
  response.writeHead(answer.status, headers);
  response.end(answer.body);
}

function outcomeOf(answer: Answer): ApiOutcome {
  if (answer.status !== 200) return 'http_error';
  return answer.failed ? 'api_error' : 'ok';
}

/** What one request carries from start to answer. */
interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly requestId: string;
  readonly started: number;
  action: string | undefined;
}

/** Writes the answer, then counts and times it under its action (and logs it when asked to). */
function reply(panel: Panel, options: ApiRequestOptions, exchange: Exchange, answer: Answer) {
  if (options.draining) exchange.response.shouldKeepAlive = false;
  write(exchange.response, answer, exchange.requestId);
  const seconds = (performance.now() - exchange.started) / 1000;
  panel.metrics.recordApiRequest(exchange.action, outcomeOf(answer), seconds);
  if (options.logRequests) {
    options.log.info(
      {
        reqId: exchange.requestId,
        method: exchange.request.method,
        url: pathOf(exchange.request.url),
        action: exchange.action,
        statusCode: answer.status,
        failed: answer.failed === true,
        responseTime: seconds * 1000,
      },
      'request completed',
    );
  }
}

/**
 * Reads the body up to `limit` bytes, then calls `done` with it, or with null when it is larger
 * (the rest is not read). A client that goes away before the end is never answered: `done` is
 * not called, and nothing listens for the request's error (Node emits none without a listener).
 */
function readBody(request: IncomingMessage, limit: number, done: (body: Buffer | null) => void): void {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) {
    done(null);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      request.removeAllListeners('data');
      done(null);
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (size <= limit) done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  });
}

/**
 * The parameters: the body's, with the query string's merged in (the body wins). Scripts mostly
 * post a body alone: then it is the parameters as they are (every reader answers an object without
 * a prototype). Only a multipart body is read asynchronously: a form or JSON body costs no promise.
 */
function paramsOf(request: IncomingMessage, body: Buffer): Eager<Params> {
  const contentType = request.headers['content-type'];
  const fromBody =
    contentType !== undefined && isMultipart(contentType)
      ? paramsFromMultipart(body, contentType)
      : paramsFromBody(body, contentType);
  const url = request.url ?? '';
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return fromBody;
  return thenEager(fromBody, (params) =>
    Object.assign(paramsFromQueryString(url.slice(queryStart + 1)), params),
  );
}

/**
 * The API v2 endpoint on bare node:http: it is the hot path of the panel (scripts poll `status`
 * in tight loops), so it skips the framework's routing, hooks and reply machinery. Everything
 * else the server answers goes through Fastify. Each answered request is counted and timed by
 * action (`panel.metrics`): one counter increment and one histogram observation. Each carries a
 * request id (the caller's sane `X-Request-Id`, else a generated one), echoed in the answer and on
 * its log lines; a line per request only with `logRequests`, since it costs more than the request.
 * An answer that needs no wait (see `handleApiRequest`) is written in the turn the body arrived:
 * at once for the turn's first request, at the turn's end for the others (see `AnswerTurn`).
 */
export function serveApiRequest(
  panel: Panel,
  request: IncomingMessage,
  response: ServerResponse,
  options: ApiRequestOptions,
): void {
  const exchange: Exchange = {
    request,
    response,
    requestId: requestIdFor(request.headers['x-request-id']),
    started: performance.now(),
    action: undefined,
  };
  readBody(request, options.bodyLimit, (body) =>
    options.turn.admit(() => {
      try {
        answerBody(panel, options, exchange, body);
      } catch (error) {
        // Not even the error could be answered (AnswerTurn logs it): the client is not left waiting.
        exchange.response.destroy();
        throw error;
      }
    }),
  );
}

function answerBody(panel: Panel, options: ApiRequestOptions, exchange: Exchange, body: Buffer | null) {
  if (body === null) {
    // The rest of an oversized body is not worth reading: answer and close the connection.
    exchange.response.setHeader('connection', 'close');
    reply(panel, options, exchange, errorAnswer({ code: 'BODY_TOO_LARGE' }));
    exchange.request.resume();
    return;
  }
  const failed = (error: unknown) => fail(panel, options, exchange, error);
  try {
    const answer = thenEager(paramsOf(exchange.request, body), (params) => {
      exchange.action = params.action?.trim();
      const idempotencyKey = exchange.request.headers['idempotency-key'];
      return handleApiRequest(panel, params, {
        idempotencyKey: Array.isArray(idempotencyKey) ? idempotencyKey[0] : idempotencyKey,
      });
    });
    if (answer instanceof Promise) {
      answer.then((ready) => reply(panel, options, exchange, ready)).catch(failed);
    } else {
      reply(panel, options, exchange, answer);
    }
  } catch (error) {
    failed(error);
  }
}

/** Parameters that cannot be read are the caller's error; anything else is logged and answered as ours. */
function fail(panel: Panel, options: ApiRequestOptions, exchange: Exchange, error: unknown): void {
  if (error instanceof MalformedParams) {
    reply(panel, options, exchange, errorAnswer({ code: 'INCORRECT_REQUEST' }));
    return;
  }
  options.log.error(
    { err: error, reqId: exchange.requestId, url: pathOf(exchange.request.url), action: exchange.action },
    'request failed',
  );
  if (!exchange.response.headersSent) reply(panel, options, exchange, errorAnswer({ code: 'INTERNAL' }));
  else exchange.response.destroy();
}
