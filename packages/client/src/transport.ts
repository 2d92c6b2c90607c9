/**
 * One HTTP exchange with the panel: the request the PHP reference client sends, a timeout that
 * covers the whole answer, and the mapping of every way it can go wrong to an error class.
 * Retrying is decided elsewhere; this layer only reports facts.
 */
import {
  SmmApiError,
  SmmHttpError,
  SmmNetworkError,
  SmmResponseError,
  SmmTimeoutError,
  systemErrorCode,
} from './errors.js';
import type { FormFields } from './order-params.js';
import { parseRetryAfter } from './retry-after.js';

export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportSettings {
  url: string;
  key: string;
  timeoutMs: number;
  fetch: FetchFunction;
  userAgent: string | undefined;
}

/** Node reports these when the connection was never established, so nothing reached the panel. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** A successful exchange: the answer is JSON and not an API error, its shape is not checked yet. */
export interface PanelAnswer {
  json: unknown;
  text: string;
  status: number;
}

/** Sends one action and returns the panel's answer, or throws one of the `Smm*Error` classes. */
export async function sendAction(
  settings: TransportSettings,
  action: string,
  parameters: FormFields,
): Promise<PanelAnswer> {
  const body = new URLSearchParams([['key', settings.key], ['action', action], ...parameters]);
  // Only CORS-safelisted headers unless asked: anything else makes browsers send a preflight,
  // which panels do not answer.
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  if (settings.userAgent !== undefined) headers['User-Agent'] = settings.userAgent;

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
  try {
    // Called detached: browsers throw "Illegal invocation" when fetch runs as a method of any
    // object other than the global one.
    const { fetch } = settings;
    let response: Response;
    try {
      response = await fetch(settings.url, {
        method: 'POST',
        headers,
        body: body.toString(),
        signal: controller.signal,
        // Following a 301/302 would turn the POST into a GET without the key: the panel would
        // answer "Invalid API key" and hide the real problem, a wrong URL.
        redirect: 'manual',
      });
    } catch (error) {
      if (controller.signal.aborted) throw new SmmTimeoutError(action, settings.timeoutMs);
      const code = systemErrorCode(error instanceof Error ? error.cause : undefined);
      throw new SmmNetworkError(action, code === undefined || !NOT_SENT_CODES.has(code), error);
    }

    let responseText: string;
    try {
      responseText = await response.text();
    } catch (error) {
      if (controller.signal.aborted) throw new SmmTimeoutError(action, settings.timeoutMs);
      throw new SmmNetworkError(action, true, error);
    }
    return interpretAnswer(action, response, responseText);
  } finally {
    clearTimeout(timer);
  }
}

function interpretAnswer(action: string, response: Response, responseText: string): PanelAnswer {
  const { status } = response;
  const parsed = parseJson(responseText);
  const apiError = parsed.ok ? topLevelError(parsed.value) : undefined;

  if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
    throw new SmmHttpError(status, action, { location: response.headers.get('Location') ?? undefined });
  }
  // The contract reserves these for trouble outside the API logic: report them as HTTP failures
  // even though they carry a JSON error, so that retry and "was it processed?" logic sees them.
  if (status === 413 || status === 429 || status >= 500) {
    const retryAfter = response.headers.get('Retry-After') ?? undefined;
    throw new SmmHttpError(status, action, {
      apiError,
      retryAfter,
      retryAfterMs: parseRetryAfter(retryAfter ?? null),
    });
  }
  // Some panels send API errors with a 4xx status: the body is what tells them apart.
  if (apiError !== undefined) throw new SmmApiError(apiError, action, status);
  if (status < 200 || status >= 300) throw new SmmHttpError(status, action);
  if (!parsed.ok) throw new SmmResponseError(action, 'not JSON', responseText, status);
  return { json: parsed.value, text: responseText, status };
}

function parseJson(responseText: string): { ok: true; value: unknown } | { ok: false } {
  try {
    // A UTF-8 byte order mark is common in PHP output and is not JSON.
    return { ok: true, value: JSON.parse(responseText.replace(/^\uFEFF/, '')) as unknown };
  } catch {
    return { ok: false };
  }
}

function topLevelError(answer: unknown): string | undefined {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return undefined;
  return 'error' in answer && typeof answer.error === 'string' ? answer.error : undefined;
}
