import { type Queryable, sql } from './database.js';

/** The version's read, also a subquery of the `services` key read (store/api-keys.ts). */
export const CATALOG_VERSION_SQL = 'SELECT version FROM catalog_state WHERE id = 1';
const selectCatalogVersion = sql(CATALOG_VERSION_SQL);
const bumpCatalogVersionSql = sql('UPDATE catalog_state SET version = version + 1 WHERE id = 1');

/** PostgreSQL: the channel every change to the catalogue is NOTIFYed on, in its own transaction. */
export const CATALOG_CHANNEL = 'smmkit_catalog';

/**
 * The catalogue's version: one primary-key read tells a process whether its copy of the
 * `services` answer is stale. Opaque, only ever compared and incremented.
 */
export async function catalogVersion(q: Queryable): Promise<bigint> {
  const row = await q.get<{ version: bigint }>(selectCatalogVersion);
  return versionOrZero(row?.version);
}

/** A panel without its `catalog_state` row yet is at version 0. */
export function versionOrZero(version: bigint | null | undefined): bigint {
  return version ?? 0n;
}

/**
 * Call in the same transaction as any change to what `services` answers (services, categories,
 * prices, user rates). On PostgreSQL it also NOTIFYs `CATALOG_CHANNEL`: sent on commit, so every
 * process drops its copy without reading the version per request.
 */
export async function bumpCatalogVersion(q: Queryable): Promise<void> {
  await q.run(bumpCatalogVersionSql);
  if (q.notify) await q.notify(CATALOG_CHANNEL);
}
