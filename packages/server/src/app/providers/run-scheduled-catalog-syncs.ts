import { failureMessage } from '../../domain/errors.js';
import {
  claimDueCatalogSyncs,
  findCatalogSyncSchedule,
  finishCatalogSync,
} from '../../store/catalog-sync-schedule.js';
import type { Context } from '../context.js';
import { syncProviderServices } from './sync-provider-services.js';

/** Providers synced per run; the next run takes the rest. */
const BATCH = 5;
/** Longer than a sync can take (a `services` call and one transaction), so a live worker's claim holds. */
const LEASE_MS = 10 * 60_000;

export interface ScheduledSyncSummary {
  synced: number;
  failed: number;
}

/**
 * The worker's scheduled catalogue sync: providers whose sync is due are claimed (a lease,
 * committed first, so two workers never sync one provider at once), synced with their policies
 * (`provider set --follow-prices`, `--on-removed`), and their next sync set one interval on, with
 * the report (or the error) kept for the dashboard. A worker that dies mid-sync leaves a lease that
 * runs out, and the sync is claimed again.
 */
export async function runScheduledCatalogSyncs(ctx: Context): Promise<ScheduledSyncSummary> {
  const summary: ScheduledSyncSummary = { synced: 0, failed: 0 };
  const now = ctx.clock.now();
  const leaseUntil = now + LEASE_MS;
  const claimed = await ctx.db.transaction((tx) =>
    claimDueCatalogSyncs(tx, { now, leaseUntil, limit: BATCH }),
  );
  for (const providerId of claimed) {
    const schedule = await findCatalogSyncSchedule(ctx.db, providerId);
    if (!schedule) continue;
    const policy = { followPrices: schedule.followPrices, onRemoved: schedule.onRemoved };
    const report = await syncProviderServices(ctx, providerId, policy);
    const result = report.ok ? report.value : { error: failureMessage(report.failure) };
    if (report.ok) summary.synced++;
    else summary.failed++;
    await ctx.db.transaction((tx) =>
      finishCatalogSync(tx, { providerId, leaseUntil, result, now: ctx.clock.now() }),
    );
  }
  return summary;
}
