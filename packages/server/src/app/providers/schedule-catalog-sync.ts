import { type FollowPrices, type OnRemoved, formatSyncEvery } from '../../domain/catalog-sync.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import { findCatalogSyncSchedule, updateCatalogSyncSchedule } from '../../store/catalog-sync-schedule.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

/** What the owner changes about a provider's scheduled sync; only what is given changes. */
export interface CatalogSyncSettings {
  /** Null: off. Already checked (`parseSyncEvery`: at least 10 s). */
  readonly everyMs?: number | null | undefined;
  readonly followPrices?: FollowPrices | undefined;
  readonly onRemoved?: OnRemoved | undefined;
}

export interface CatalogSyncView {
  readonly id: number;
  readonly syncEvery: string;
  readonly followPrices: FollowPrices;
  readonly onRemoved: OnRemoved;
  readonly nextSyncAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Sets a provider's scheduled catalogue sync, audited. A new cadence takes effect at once: the
 * first sync is due now (then one interval after each).
 */
export async function scheduleCatalogSync(
  ctx: Context,
  providerId: number,
  settings: CatalogSyncSettings,
): Promise<Result<CatalogSyncView>> {
  return ctx.db.transaction(async (tx) => {
    const current = await findCatalogSyncSchedule(tx, providerId);
    if (!current) return fail<CatalogSyncView>({ code: 'PROVIDER_NOT_FOUND', id: providerId });
    const now = ctx.clock.now();
    const everyMs = settings.everyMs === undefined ? current.everyMs : settings.everyMs;
    const nextAt = everyMs === null ? null : settings.everyMs !== undefined ? now : (current.nextAt ?? now);
    const schedule = {
      everyMs,
      followPrices: settings.followPrices ?? current.followPrices,
      onRemoved: settings.onRemoved ?? current.onRemoved,
      nextAt,
    };
    await updateCatalogSyncSchedule(tx, providerId, schedule, now);
    const view = {
      id: providerId,
      syncEvery: formatSyncEvery(everyMs),
      followPrices: schedule.followPrices,
      onRemoved: schedule.onRemoved,
      nextSyncAt: iso(nextAt),
    };
    await recordAudit(tx, ctx, 'provider.schedule-sync', `provider:${providerId}`, view);
    return ok(view);
  });
}
