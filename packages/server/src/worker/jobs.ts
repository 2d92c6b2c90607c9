import { purgeIdempotencyKeys } from '../app/housekeeping/purge-idempotency-keys.js';
import type { Config } from '../config.js';
import type { Job } from './worker.js';

/**
 * Every job the worker runs, with its cadence. Dispatch jobs hand out work that is due; sync jobs
 * follow work in flight. Each finds its work from rows, so a restart or a second worker loses
 * nothing and doubles nothing.
 */
export function workerJobs(config: Pick<Config, 'dispatchIntervalMs' | 'syncIntervalMs'>): Job[] {
  return [{ name: 'purge-idempotency-keys', intervalMs: 10 * 60 * 1000, run: purgeIdempotencyKeys }];
}
