import { type Failure, failureHttpStatus, failureMessage } from '../../domain/errors.js';

/** A finished API v2 answer: always JSON, API-level errors at HTTP 200. */
export interface Answer {
  readonly status: number;
  readonly body: string | Buffer;
  /** Set on error answers (for the request metrics). */
  readonly failed?: true;
}

export const answer = (value: unknown): Answer => ({ status: 200, body: JSON.stringify(value) });

export const errorAnswer = (failure: Failure): Answer => ({
  status: failureHttpStatus(failure),
  body: JSON.stringify({ error: failureMessage(failure) }),
  failed: true,
});
