import { type Failure, failureHttpStatus, failureMessage } from '../../domain/errors.js';

/** A finished API v2 answer: always JSON, API-level errors at HTTP 200. */
export interface Answer {
  readonly status: number;
  readonly body: string | Buffer;
  /** Set on error answers (for the request metrics). */
  readonly failed?: true;
  /** Seconds a rate-limited caller should wait (sent as `Retry-After`). */
  readonly retryAfter?: number;
}

export const answer = (value: unknown): Answer => ({ status: 200, body: JSON.stringify(value) });

export const errorAnswer = (failure: Failure): Answer => ({
  status: failureHttpStatus(failure),
  body: JSON.stringify({ error: failureMessage(failure) }),
  failed: true,
});

/** HTTP 429 `{"error":"Too many requests"}` with the seconds to wait until the key's window ends. */
export const rateLimitedAnswer = (retryAfter: number): Answer => ({
  ...errorAnswer({ code: 'RATE_LIMITED' }),
  retryAfter,
});
