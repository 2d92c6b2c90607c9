/**
 * Automatic retries, for calls where repeating cannot do anything twice. Which calls those are is
 * the client's decision (see `SmmApiClient`); this module decides when and how long to wait.
 */
import { SmmHttpError, SmmNetworkError, SmmTimeoutError } from './errors.js';

export type Sleep = (ms: number) => Promise<void>;

export interface RetrySettings {
  /** Retries after the first attempt. */
  retries: number;
  /** Wait before the first retry; doubled for each further one. */
  baseDelayMs: number;
  /** Longest `Retry-After` worth waiting for; past it the error is handed to the caller. */
  maxRetryAfterMs: number;
  sleep: Sleep;
}

export const sleepWithTimer: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetries<T>(attempt: () => Promise<T>, settings: RetrySettings): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      const delay = retry < settings.retries ? retryDelayMs(error, retry, settings) : undefined;
      if (delay === undefined) throw error;
      await settings.sleep(delay);
    }
  }
}

/** How long to wait before retrying after `error`, or undefined when retrying would not help. */
export function retryDelayMs(error: unknown, retry: number, settings: RetrySettings): number | undefined {
  const backoff = settings.baseDelayMs * 2 ** retry;
  if (error instanceof SmmTimeoutError || error instanceof SmmNetworkError) return backoff;
  if (!(error instanceof SmmHttpError) || !(error.status === 429 || error.status >= 500)) return undefined;
  if (error.retryAfterMs === undefined) return backoff;
  // A panel asking for a long pause would only answer 429 again after a short one: better to let
  // the caller see the error (with retryAfterMs) than to hold the call open.
  if (error.retryAfterMs > settings.maxRetryAfterMs) return undefined;
  return Math.max(error.retryAfterMs, backoff);
}
