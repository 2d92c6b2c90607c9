import {
  type FollowPrices,
  type OnRemoved,
  readFollowPrices,
  readOnRemoved,
} from '../domain/catalog-sync.js';
import { numberOrNull } from './column-values.js';
import { claimByDialect, type Queryable, sql } from './database.js';

/** A provider's scheduled catalogue sync: its cadence, its policies, and how the last one went. */
export interface CatalogSyncSchedule {
  readonly providerId: number;
  /** Null: off. */
  readonly everyMs: number | null;
  readonly followPrices: FollowPrices;
  readonly onRemoved: OnRemoved;
  readonly nextAt: number | null;
  /** The last scheduled sync's report (or its error), as recorded. */
  readonly lastResult: unknown;
  readonly lastAt: number | null;
}

interface ScheduleRow {
  id: bigint;
  sync_every_ms: bigint | null;
  follow_prices: string;
  on_removed: string;
  next_catalog_sync_at: bigint | null;
  last_catalog_sync: string | null;
  last_catalog_sync_at: bigint | null;
}

function toSchedule(row: ScheduleRow): CatalogSyncSchedule {
  return {
    providerId: Number(row.id),
    everyMs: numberOrNull(row.sync_every_ms),
    followPrices: readFollowPrices(row.follow_prices),
    onRemoved: readOnRemoved(row.on_removed),
    nextAt: numberOrNull(row.next_catalog_sync_at),
    lastResult: row.last_catalog_sync === null ? null : (JSON.parse(row.last_catalog_sync) as unknown),
    lastAt: numberOrNull(row.last_catalog_sync_at),
  };
}

const SCHEDULE_COLUMNS = `id, sync_every_ms, follow_prices, on_removed, next_catalog_sync_at, last_catalog_sync,
  last_catalog_sync_at`;
const selectScheduleSql = sql(`SELECT ${SCHEDULE_COLUMNS} FROM providers WHERE id = ?`);
const selectSchedulesSql =
  sql(`SELECT ${SCHEDULE_COLUMNS} FROM providers WHERE last_catalog_sync_at IS NOT NULL
  ORDER BY last_catalog_sync_at DESC LIMIT ?`);
const updateScheduleSql = sql(
  `UPDATE providers SET sync_every_ms = ?, follow_prices = ?, on_removed = ?, next_catalog_sync_at = ?, updated_at = ?
   WHERE id = ?`,
);
// Due providers nobody holds; the outer condition repeats it: the compare-and-set. PostgreSQL skips
// rows another worker is claiming.
const CLAIM_PICK = `SELECT id FROM providers
   WHERE sync_every_ms IS NOT NULL AND next_catalog_sync_at <= ?
     AND (catalog_sync_lease_until IS NULL OR catalog_sync_lease_until < ?)
   ORDER BY next_catalog_sync_at, id LIMIT ?`;
const CLAIM_UPDATE = `UPDATE providers SET catalog_sync_lease_until = ?
   WHERE id IN (%PICK%) AND sync_every_ms IS NOT NULL AND next_catalog_sync_at <= ?
     AND (catalog_sync_lease_until IS NULL OR catalog_sync_lease_until < ?) RETURNING id`;
const claimSql = claimByDialect(CLAIM_UPDATE, CLAIM_PICK, 'FOR UPDATE SKIP LOCKED');
const finishSql = sql(
  `UPDATE providers SET catalog_sync_lease_until = NULL, next_catalog_sync_at = ? + COALESCE(sync_every_ms, 0),
     last_catalog_sync = ?, last_catalog_sync_at = ?
   WHERE id = ? AND catalog_sync_lease_until = ?`,
);

export async function findCatalogSyncSchedule(
  q: Queryable,
  providerId: number,
): Promise<CatalogSyncSchedule | undefined> {
  const row = await q.get<ScheduleRow>(selectScheduleSql, [providerId]);
  return row ? toSchedule(row) : undefined;
}

/** The providers synced most recently, for the dashboard. */
export async function recentCatalogSyncs(q: Queryable, limit: number): Promise<CatalogSyncSchedule[]> {
  return (await q.all<ScheduleRow>(selectSchedulesSql, [limit])).map(toSchedule);
}

export async function updateCatalogSyncSchedule(
  q: Queryable,
  providerId: number,
  schedule: {
    everyMs: number | null;
    followPrices: FollowPrices;
    onRemoved: OnRemoved;
    nextAt: number | null;
  },
  now: number,
): Promise<void> {
  await q.run(updateScheduleSql, [
    schedule.everyMs,
    schedule.followPrices,
    schedule.onRemoved,
    schedule.nextAt,
    now,
    providerId,
  ]);
}

/**
 * Claims up to `limit` due providers until `leaseUntil` (committed before any provider is called):
 * a provider is synced by one worker at a time, however many run.
 */
export async function claimDueCatalogSyncs(
  q: Queryable,
  claim: { now: number; leaseUntil: number; limit: number },
): Promise<number[]> {
  const { now, leaseUntil, limit } = claim;
  const rows = await q.all<{ id: bigint }>(claimSql, [leaseUntil, now, now, limit, now, now]);
  return rows.map((row) => Number(row.id));
}

/** Ends a claimed sync: the next one is due one interval from now; the report is kept. */
export async function finishCatalogSync(
  q: Queryable,
  finish: { providerId: number; leaseUntil: number; result: unknown; now: number },
): Promise<boolean> {
  const args = [finish.now, JSON.stringify(finish.result), finish.now, finish.providerId, finish.leaseUntil];
  return (await q.run(finishSql, args)) === 1;
}
