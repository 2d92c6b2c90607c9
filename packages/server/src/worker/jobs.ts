import { dispatchOrderRun } from '../app/dispatch/dispatch-orders.js';
import { forwardCancels } from '../app/dispatch/forward-cancels.js';
import { forwardRefills, syncRefills } from '../app/dispatch/forward-refills.js';
import {
  DEFAULT_PROVIDER_TIMEOUT_MS,
  type GatewayLog,
  type ProviderCallObserver,
  type ProviderGateway,
} from '../app/dispatch/provider-gateway.js';
import { syncOrders } from '../app/dispatch/sync-orders.js';
import { expireDeposits } from '../app/payments/expire-deposits.js';
import { createDueRuns } from '../app/dripfeed/create-due-runs.js';
import { foldLedgerKindTotals } from '../app/housekeeping/fold-ledger-kind-totals.js';
import { foldOrderDayTotals } from '../app/housekeeping/fold-order-day-changes.js';
import { foldOrderStatusCounts } from '../app/housekeeping/fold-order-status-changes.js';
import { purgeIdempotencyKeys } from '../app/housekeeping/purge-idempotency-keys.js';
import { purgeWebSessions } from '../app/housekeeping/purge-web-sessions.js';
import { purgeWebhookLog } from '../app/housekeeping/purge-webhook-log.js';
import { dispatchSubscriptionPosts } from '../app/subscriptions/dispatch-subscription-posts.js';
import { expireSubscriptions } from '../app/subscriptions/expire-subscriptions.js';
import type { SecretBox } from '../app/secrets/secret-box.js';
import { deliverWebhooks } from '../app/webhooks/deliver-webhooks.js';
import { systemResolver } from '../app/webhooks/public-url.js';
import { smtpMailer } from '../app/email/mailer.js';
import { sendDueEmails } from '../app/email/send-due-emails.js';
import type { Config } from '../config.js';
import { runScheduledCatalogSyncs } from '../app/providers/run-scheduled-catalog-syncs.js';
import { runRateFeed } from '../app/currencies/read-rate-feed.js';
import { type Job, MORE_DUE } from './worker.js';

/**
 * How often the kept totals (order counts, day totals, the ledger by kind) are folded. A read adds up
 * what is not folded yet, so this bounds what a scrape or the dashboard reads: at 13,000 orders a
 * second, 60 s left ~800,000 changes of each kind to add up (a scrape at ten million orders: 170 ms,
 * and 26 MB more memory on the read thread for a 300,000-entry ledger tail); 10 s leaves a sixth.
 * Folding costs the same per change whenever it runs, and a fold holds the write lock for less.
 */
export const KEPT_TOTALS_FOLD_MS = 10_000;

export interface WorkerDeps {
  readonly log: GatewayLog;
  readonly observeProviderCall?: ProviderCallObserver | undefined;
  readonly secrets?: SecretBox | undefined;
}

/**
 * Every job the worker runs, with its cadence. Dispatch jobs hand out work that is due; sync jobs
 * follow work in flight. Each finds its work from rows, so a restart or a second worker loses
 * nothing and doubles nothing. The provider sync runs at the dispatch cadence but only asks about
 * orders whose next check (spread over SMMKIT_SYNC_INTERVAL) is due.
 */
export function workerJobs(
  config: Pick<Config, 'dispatchIntervalMs' | 'syncIntervalMs'> &
    Partial<Pick<Config, 'providerTimeoutMs' | 'allowPrivateUrls' | 'mail'>>,
  deps: WorkerDeps,
): Job[] {
  const gateway: ProviderGateway = {
    log: deps.log,
    timeoutMs: config.providerTimeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS,
    syncIntervalMs: config.syncIntervalMs,
    observe: deps.observeProviderCall,
    secrets: deps.secrets,
  };
  return [
    { name: 'purge-idempotency-keys', intervalMs: 10 * 60 * 1000, run: purgeIdempotencyKeys },
    { name: 'purge-web-sessions', intervalMs: 10 * 60 * 1000, run: purgeWebSessions },
    {
      // Both kept order aggregates (status counts, day totals); the name is the one it has always had.
      name: 'fold-order-status-counts',
      intervalMs: KEPT_TOTALS_FOLD_MS,
      run: async (ctx) => (await foldOrderStatusCounts(ctx)) + (await foldOrderDayTotals(ctx)),
    },
    { name: 'fold-ledger-kind-totals', intervalMs: KEPT_TOTALS_FOLD_MS, run: foldLedgerKindTotals },
    { name: 'dripfeed-runs', intervalMs: config.dispatchIntervalMs, run: createDueRuns },
    {
      name: 'dispatch-subscription-posts',
      intervalMs: config.dispatchIntervalMs,
      run: (ctx) => dispatchSubscriptionPosts(ctx),
    },
    {
      name: 'dispatch-orders',
      intervalMs: config.dispatchIntervalMs,
      // A backlog is drained run after run, each one bounded; the interval applies once it is gone.
      run: async (ctx) => ((await dispatchOrderRun(ctx, gateway)).moreDue ? MORE_DUE : undefined),
    },
    {
      name: 'forward-cancels',
      intervalMs: config.dispatchIntervalMs,
      run: (ctx) => forwardCancels(ctx, gateway),
    },
    {
      name: 'forward-refills',
      intervalMs: config.dispatchIntervalMs,
      run: (ctx) => forwardRefills(ctx, gateway),
    },
    { name: 'sync-orders', intervalMs: config.dispatchIntervalMs, run: (ctx) => syncOrders(ctx, gateway) },
    { name: 'sync-refills', intervalMs: config.dispatchIntervalMs, run: (ctx) => syncRefills(ctx, gateway) },
    { name: 'expire-subscriptions', intervalMs: config.syncIntervalMs, run: expireSubscriptions },
    { name: 'expire-deposits', intervalMs: config.syncIntervalMs, run: expireDeposits },
    // Each provider's own cadence (`provider set --sync-every`) decides when its sync is due.
    { name: 'sync-provider-catalogs', intervalMs: config.dispatchIntervalMs, run: runScheduledCatalogSyncs },
    // The exchange-rate feed's own cadence (`currency feed --every`) decides when it is read.
    { name: 'read-rate-feed', intervalMs: config.dispatchIntervalMs, run: runRateFeed },
    {
      name: 'deliver-webhooks',
      intervalMs: config.dispatchIntervalMs,
      run: (ctx) =>
        deliverWebhooks(ctx, {
          policy: { allowPrivate: config.allowPrivateUrls ?? false, resolve: systemResolver },
        }),
    },
    { name: 'purge-webhook-log', intervalMs: 60 * 60 * 1000, run: purgeWebhookLog },
    ...emailJobs(config.mail, config.dispatchIntervalMs),
  ];
}

/** The outbox sender, when email is on (SMMKIT_SMTP_URL). */
function emailJobs(mail: Config['mail'] | undefined, intervalMs: number): Job[] {
  if (mail?.smtpUrl == null) return [];
  const mailer = smtpMailer(mail.smtpUrl, mail.from);
  return [{ name: 'send-emails', intervalMs, run: (ctx) => sendDueEmails(ctx, mailer) }];
}
