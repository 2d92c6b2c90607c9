import { recentCatalogSyncs } from '../../store/catalog-sync-schedule.js';
import { listProviders } from '../../store/providers.js';
import type { Context } from '../context.js';
import type { SyncNotices, SyncReport } from './sync-provider-services.js';

/** Providers shown on the dashboard, the most recently synced first. */
const RECENT = 20;

const count = (list: unknown) => (Array.isArray(list) ? list.length : 0);

/**
 * Each provider's last scheduled catalogue sync for the dashboard: when, how many services it
 * changed, disabled, enabled again or skipped, its error, and what `notify` policies held back.
 * The report is the one `runScheduledCatalogSyncs` stored: a `SyncReport`, or `{ error }`.
 */
export async function recentCatalogSyncResults(ctx: Context) {
  const [schedules, providers] = await Promise.all([
    recentCatalogSyncs(ctx.db, RECENT),
    listProviders(ctx.db),
  ]);
  const names = new Map(providers.map((provider) => [provider.id, provider.name]));
  return schedules.flatMap((schedule) => {
    if (schedule.lastAt === null) return [];
    const result = (schedule.lastResult ?? {}) as Partial<SyncReport> & { error?: string };
    const notices: Partial<SyncNotices> = result.notices ?? {};
    return [
      {
        providerId: schedule.providerId,
        providerName: names.get(schedule.providerId) ?? '',
        at: new Date(schedule.lastAt).toISOString(),
        error: typeof result.error === 'string' ? result.error : null,
        changed: new Set((result.changed ?? []).map((change) => change.service)).size,
        disabled: count(result.disabled),
        enabled: count(result.enabled),
        skipped: count(result.skipped),
        notImported: count(result.notImported),
        priceNotices: notices.prices ?? [],
        removedNotices: notices.removed ?? [],
      },
    ];
  });
}
