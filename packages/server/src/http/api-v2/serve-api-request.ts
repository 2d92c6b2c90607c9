import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ApiOutcome } from '../../metrics/panel-metrics.js';
import type { Panel } from '../../panel.js';
import { MalformedParams, paramsFromBody, paramsFromQueryString } from '../request-params.js';
import { type Answer, errorAnswer } from './answer.js';
import { handleApiRequest } from './handle-api-request.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export interface ApiRequestLog {
  error(details: object, message: string): void;
}

/** `/api/v2` or `/api/v2/`, with or without a query string. */
export function isApiRequest(request: IncomingMessage): boolean {
  if (request.method !== 'POST' && request.method !== 'GET') return false;
  const url = request.url ?? '';
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  return path === '/api/v2' || path === '/api/v2/';
}

function write(response: ServerResponse, answer: Answer): void {
  // A string body leaves with the headers in one write; a Buffer would take a second (writev).
  const length = typeof answer.body === 'string' ? Buffer.byteLength(answer.body) : answer.body.length;
  response.writeHead(answer.status, { 'content-type': JSON_TYPE, 'content-length': length });
  response.end(answer.body);
}

function outcomeOf(answer: Answer): ApiOutcome {
  if (answer.status !== 200) return 'http_error';
  return answer.failed ? 'api_error' : 'ok';
}

/** Writes the answer, then counts and times it under its action. */
function reply(
  panel: Panel,
  response: ServerResponse,
  answer: Answer,
  action: string | undefined,
  started: number,
) {
  write(response, answer);
  panel.metrics.recordApiRequest(action, outcomeOf(answer), (performance.now() - started) / 1000);
}

/** The client went away before its body arrived: there is nobody to answer. */
class ClientGone extends Error {}

/** Reads the body up to `limit` bytes; null when it is larger (the rest is not read). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) {
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    request.on('error', () => reject(new ClientGone()));
    request.on('close', () => {
      if (!request.complete) reject(new ClientGone());
    });
  });
}

/**
 * The API v2 endpoint on bare node:http: it is the hot path of the panel (scripts poll `status`
 * in tight loops), so it skips the framework's routing, hooks and reply machinery. Everything
 * else the server answers goes through Fastify. Each answered request is counted and timed by
 * action (`panel.metrics`): one counter increment and one histogram observation, nothing allocated.
 */
export async function serveApiRequest(
  panel: Panel,
  request: IncomingMessage,
  response: ServerResponse,
  bodyLimit: number,
  log: ApiRequestLog,
): Promise<void> {
  const started = performance.now();
  let action: string | undefined;
  try {
    const body = await readBody(request, bodyLimit);
    if (body === null) {
      // The rest of an oversized body is not worth reading: answer and close the connection.
      response.setHeader('connection', 'close');
      reply(panel, response, errorAnswer({ code: 'BODY_TOO_LARGE' }), action, started);
      request.resume();
      return;
    }
    const url = request.url ?? '';
    const queryStart = url.indexOf('?');
    let params;
    try {
      // Query-string parameters are merged in; the body wins.
      params = Object.assign(
        paramsFromQueryString(queryStart === -1 ? '' : url.slice(queryStart + 1)),
        await paramsFromBody(body, request.headers['content-type']),
      );
    } catch (error) {
      if (error instanceof MalformedParams)
        return reply(panel, response, errorAnswer({ code: 'INCORRECT_REQUEST' }), action, started);
      throw error;
    }
    action = params.action?.trim();
    const idempotencyKey = request.headers['idempotency-key'];
    const answer = await handleApiRequest(panel, params, {
      idempotencyKey: Array.isArray(idempotencyKey) ? idempotencyKey[0] : idempotencyKey,
    });
    reply(panel, response, answer, action, started);
  } catch (error) {
    if (error instanceof ClientGone) return;
    log.error({ err: error }, 'request failed');
    if (!response.headersSent) reply(panel, response, errorAnswer({ code: 'INTERNAL' }), action, started);
    else response.destroy();
  }
}
