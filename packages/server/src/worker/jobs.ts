import { createDueRuns } from '../app/dripfeed/create-due-runs.js';
import { purgeIdempotencyKeys } from '../app/housekeeping/purge-idempotency-keys.js';
import { purgeWebSessions } from '../app/housekeeping/purge-web-sessions.js';
import { dispatchSubscriptionPosts } from '../app/subscriptions/dispatch-subscription-posts.js';
import { expireSubscriptions } from '../app/subscriptions/expire-subscriptions.js';
import type { Config } from '../config.js';
import type { Job } from './worker.js';

/**
 * Every job the worker runs, with its cadence. Dispatch jobs hand out work that is due; sync jobs
 * follow work in flight. Each finds its work from rows, so a restart or a second worker loses
 * nothing and doubles nothing.
 */
export function workerJobs(config: Pick<Config, 'dispatchIntervalMs' | 'syncIntervalMs'>): Job[] {
  return [
    { name: 'purge-idempotency-keys', intervalMs: 10 * 60 * 1000, run: purgeIdempotencyKeys },
    { name: 'purge-web-sessions', intervalMs: 10 * 60 * 1000, run: purgeWebSessions },
    { name: 'dripfeed-runs', intervalMs: config.dispatchIntervalMs, run: createDueRuns },
    {
      name: 'dispatch-subscription-posts',
      intervalMs: config.dispatchIntervalMs,
      run: (ctx) => dispatchSubscriptionPosts(ctx),
    },
    { name: 'expire-subscriptions', intervalMs: config.syncIntervalMs, run: expireSubscriptions },
  ];
}
