import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { RESPONSE_EXCERPT_CHARS } from '../../domain/webhooks.js';
import { type PublicTarget, pinnedLookup } from './public-url.js';

export interface PostOutcome {
  /** The receiver's HTTP status; null when none arrived (refused, reset, timed out). */
  readonly statusCode: number | null;
  readonly durationMs: number;
  /** The first characters of the answer. */
  readonly responseExcerpt: string;
  readonly error: string | null;
}

/**
 * One POST to a checked address: connected to `target.address` whatever the name resolves to now
 * (no second lookup a rebinding DNS could answer differently), redirects not followed (a 3xx is
 * just a failed attempt), everything over after `timeoutMs`. Never throws.
 */
export function postWebhook(
  target: PublicTarget,
  headers: Readonly<Record<string, string>>,
  body: string,
  timeoutMs: number,
): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<PostOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ ...outcome, durationMs: elapsed() });
    };
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(target.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      lookup: pinnedLookup(target),
      agent: false,
    });
    const timer = setTimeout(
      () => finish({ statusCode: null, responseExcerpt: '', error: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    request.on('error', (error) => finish({ statusCode: null, responseExcerpt: '', error: error.message }));
    request.on('response', (response) => {
      const statusCode = response.statusCode ?? null;
      let text = '';
      const done = () =>
        finish({ statusCode, responseExcerpt: text.slice(0, RESPONSE_EXCERPT_CHARS), error: null });
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        if (text.length >= RESPONSE_EXCERPT_CHARS) done();
      });
      response.on('end', done);
      response.on('error', done);
    });
    request.end(body);
  });
}
