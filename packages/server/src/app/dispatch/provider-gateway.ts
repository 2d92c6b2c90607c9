import { performance } from 'node:perf_hooks';
import { PLAIN_SECRETS, type SecretBox } from '../secrets/secret-box.js';
import { type FetchFunction, SmmApiClient, SmmApiError, isOutcomeUnknown } from '@smmkit/client';
import { keepAliveFetch } from './keep-alive-fetch.js';

/** The outcome of one call to a provider, for the metrics: answered, refused, or unknown. */
export type ProviderCallOutcome = 'ok' | 'error' | 'unknown';

export type ProviderCallObserver = (
  provider: string,
  action: string,
  outcome: ProviderCallOutcome,
  seconds: number,
) => void;

export interface GatewayLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** What the dispatch and sync jobs need besides the context: how to reach providers and report. */
export interface ProviderGateway {
  readonly log: GatewayLog;
  /** Per call; the lease of an order being submitted is longer than this. */
  readonly timeoutMs: number;
  /** How often an order in flight is asked about. */
  readonly syncIntervalMs: number;
  readonly observe?: ProviderCallObserver | undefined;
  /** Tests inject faults here; production uses `keepAliveFetch`. */
  readonly fetch?: FetchFunction | undefined;
  /** Opens the providers' stored keys (SMMKIT_SECRET_KEY). */
  readonly secrets?: SecretBox | undefined;
}

/** Where a provider answers, and with which of our keys; its name labels the metrics. */
export interface ProviderAddress {
  readonly name: string;
  readonly url: string;
  readonly apiKey: string;
}

/** Provider calls time out after this by default: long enough for a slow panel under load. */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 30_000;

/**
 * Calls a provider once (no automatic retries: the jobs decide what a failure means) and reports
 * the call's outcome and latency to the observer.
 */
export async function callProvider<T>(
  gateway: ProviderGateway,
  provider: ProviderAddress,
  action: string,
  call: (client: SmmApiClient) => Promise<T>,
): Promise<T> {
  const client = new SmmApiClient({
    url: provider.url,
    key: (gateway.secrets ?? PLAIN_SECRETS).open(provider.apiKey),
    timeoutMs: gateway.timeoutMs,
    retries: 0,
    fetch: gateway.fetch ?? keepAliveFetch,
  });
  const started = performance.now();
  let outcome: ProviderCallOutcome = 'ok';
  try {
    return await call(client);
  } catch (error) {
    outcome = error instanceof SmmApiError ? 'error' : isOutcomeUnknown(error) ? 'unknown' : 'error';
    throw error;
  } finally {
    gateway.observe?.(provider.name, action, outcome, (performance.now() - started) / 1000);
  }
}

/** Runs `task` over `items`, at most `limit` at a time. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** A provider's error for logs and the review list: its own words, never its key. */
export function describeFailure(error: unknown): string {
  if (error instanceof SmmApiError) return error.apiError;
  if (error instanceof Error) return error.message;
  return String(error);
}
