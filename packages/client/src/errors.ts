/**
 * Every failure of a client call is one of these classes, so callers can decide what to do with a
 * single `instanceof` chain instead of parsing messages. None of them ever carries the API key.
 */
export class SmmClientError extends Error {
  override readonly name: string = 'SmmClientError';

  constructor(
    message: string,
    /** The API action that failed (`add`, `status`, ...). */
    readonly action: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The panel understood the request and refused it with `{"error": "..."}`. The message is the
 * panel's string verbatim because callers (and the panel's own docs) match on the exact text, e.g.
 * `Not enough funds on balance`.
 */
export class SmmApiError extends SmmClientError {
  override readonly name: string = 'SmmApiError';

  constructor(
    /** The exact `error` string the panel answered. */
    readonly apiError: string,
    action: string,
    /** HTTP status of the answer: 200 on a conforming panel, some panels use 4xx. */
    readonly httpStatus: number,
  ) {
    super(apiError, action);
  }
}

export interface SmmHttpErrorDetails {
  /** Raw `Retry-After` header, if the panel sent one. */
  readonly retryAfter?: string | undefined;
  /** `Retry-After` converted to milliseconds from the moment the answer arrived. */
  readonly retryAfterMs?: number | undefined;
  /** The `error` string of a JSON body, when the panel sent one along with the status. */
  readonly apiError?: string | undefined;
  /** `Location` of a redirect the client refused to follow. */
  readonly location?: string | undefined;
}

/**
 * The HTTP layer failed: a non-2xx answer without a JSON `error`, or one of the statuses the
 * contract reserves for transport-level trouble (413 body too large, 429 rate limited, 5xx).
 */
export class SmmHttpError extends SmmClientError {
  override readonly name: string = 'SmmHttpError';
  readonly retryAfter: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly apiError: string | undefined;
  readonly location: string | undefined;

  constructor(
    /** HTTP status; 0 when a browser hides a redirect (`opaqueredirect`). */
    readonly status: number,
    action: string,
    details: SmmHttpErrorDetails = {},
  ) {
    super(describeHttpFailure(status, details), action);
    this.retryAfter = details.retryAfter;
    this.retryAfterMs = details.retryAfterMs;
    this.apiError = details.apiError;
    this.location = details.location;
  }
}

function describeHttpFailure(status: number, details: SmmHttpErrorDetails): string {
  if (details.location !== undefined || status === 0 || (status >= 300 && status < 400)) {
    const target = details.location === undefined ? '' : ` to ${details.location}`;
    return `The panel answered with a redirect (HTTP ${status})${target}; use the final API URL`;
  }
  const reason = details.apiError === undefined ? '' : `: ${details.apiError}`;
  return `The panel answered HTTP ${status}${reason}`;
}

/** No complete answer arrived within `timeoutMs`; the panel may still have processed the request. */
export class SmmTimeoutError extends SmmClientError {
  override readonly name: string = 'SmmTimeoutError';

  constructor(
    action: string,
    readonly timeoutMs: number,
  ) {
    super(`No answer from the panel within ${timeoutMs} ms`, action);
  }
}

/** The connection failed (DNS, refused, reset, TLS...). */
export class SmmNetworkError extends SmmClientError {
  override readonly name: string = 'SmmNetworkError';

  constructor(
    action: string,
    /**
     * False only when the failure is known to have happened before any byte of the request left
     * (DNS failure, connection refused). Browsers never say, so there it is always true.
     */
    readonly requestMayHaveBeenSent: boolean,
    cause: unknown,
  ) {
    super(`Could not reach the panel: ${describeCause(cause)}`, action, { cause });
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = systemErrorCode(cause.cause);
    return code === undefined ? cause.message : `${cause.message} (${code})`;
  }
  return String(cause);
}

/** Node's fetch reports the socket-level reason as `cause.code`; browsers give nothing. */
export function systemErrorCode(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('code' in value)) return undefined;
  return typeof value.code === 'string' ? value.code : undefined;
}

/** Enough of a body to recognise an HTML error page or a PHP warning, little enough to log. */
const RESPONSE_TEXT_LIMIT = 2000;

/** A 2xx answer that is not JSON, or JSON not shaped like the contract's answer for the action. */
export class SmmResponseError extends SmmClientError {
  override readonly name: string = 'SmmResponseError';
  /** The body as received, cut to the first 2000 characters. */
  readonly responseText: string;

  constructor(
    action: string,
    /** What was wrong, e.g. `not JSON` or `expected a string at [0].rate`. */
    readonly problem: string,
    responseText: string,
    readonly httpStatus: number,
  ) {
    super(`Unexpected answer from the panel: ${problem}`, action);
    this.responseText = responseText.slice(0, RESPONSE_TEXT_LIMIT);
  }
}

/**
 * Whether the panel may have acted on the request even though the call failed. When this is true
 * for `add`, `refill` or `cancel`, repeating the call blindly can double the effect: check with
 * `status` first, or repeat `add` with the same `requestId`.
 *
 * Anything that is not an {@link SmmClientError} counts as unknown, because the client cannot
 * vouch for where it came from.
 */
export function isOutcomeUnknown(error: unknown): boolean {
  if (error instanceof SmmApiError) return false;
  if (error instanceof SmmHttpError) return error.status >= 500;
  if (error instanceof SmmNetworkError) return error.requestMayHaveBeenSent;
  // Timeouts and unreadable 2xx answers both mean the panel got the whole request.
  return true;
}
