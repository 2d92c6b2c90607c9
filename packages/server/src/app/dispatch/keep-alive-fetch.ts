import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchFunction } from '@smmkit/client';

/**
 * The `fetch` provider calls go through: `node:http(s)` over keep-alive agents, answering a
 * standard `Response`. The global `fetch` (undici) spent about a third of the worker's CPU per
 * dispatched order on web streams, abort signals and their garbage (bench dispatch --cpu-prof);
 * one API v2 call needs none of that. It does what the API client asks of `fetch` and no more:
 * POST or GET with a string body, `redirect: 'manual'` (a 3xx is answered as it is), an abort
 * signal (the client's timeout), and a failure that carries the system error as its `cause`, as
 * undici's "fetch failed" does, so the client tells "never sent" (ECONNREFUSED…) from "maybe sent".
 */
const AGENT_OPTIONS = {
  keepAlive: true,
  maxSockets: 64,
  maxFreeSockets: 64,
  // The most recently used connection first, and an idle one closed after 4 s: before the panel at
  // the other end closes it (Node's 5 s, nginx's 75 s), so a call rarely meets one closing under it.
  scheduling: 'lifo' as const,
  timeout: 4000,
};
const httpAgent = new HttpAgent(AGENT_OPTIONS);
const httpsAgent = new HttpsAgent(AGENT_OPTIONS);

/** Statuses whose response has no body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

class FetchFailed extends TypeError {
  constructor(cause: unknown) {
    super('fetch failed', { cause });
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('the answer was cut off')));
  });
}

function headerList(response: IncomingMessage): [string, string][] {
  const list: [string, string][] = [];
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) list.push([raw[i]!, raw[i + 1]!]);
  return list;
}

export const keepAliveFetch: FetchFunction = (input, init) =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(input);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const https = url.protocol === 'https:';
    if (!https && url.protocol !== 'http:') {
      reject(new FetchFailed(new Error(`unsupported protocol ${url.protocol}`)));
      return;
    }
    const body = typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : null;
    const headers: Record<string, string> = {};
    // The API client passes its headers as a plain record.
    for (const [name, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) {
      headers[name.toLowerCase()] = value;
    }
    if (body !== null) headers['content-length'] = String(body.length);
    const request = (https ? httpsRequest : httpRequest)(url, {
      method: init.method ?? 'GET',
      headers,
      agent: https ? httpsAgent : httpAgent,
    });
    const onAbort = () => request.destroy(abortError(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    request.on('error', (error) => {
      done();
      reject(signal?.aborted ? abortError(signal) : new FetchFailed(error));
    });
    request.on('response', (response) => {
      readBody(response).then(
        (text) => {
          done();
          const status = response.statusCode ?? 0;
          try {
            resolve(
              new Response(NULL_BODY_STATUSES.has(status) ? null : text, {
                status,
                statusText: response.statusMessage ?? '',
                headers: headerList(response),
              }),
            );
          } catch (error) {
            reject(new FetchFailed(error));
          }
        },
        (error: unknown) => {
          done();
          reject(signal?.aborted ? abortError(signal) : new FetchFailed(error));
        },
      );
    });
    request.end(body ?? undefined);
  });
