import { type Queryable, sql } from './database.js';

const selectCatalogVersion = sql('SELECT version FROM catalog_state WHERE id = 1');
const bumpCatalogVersionSql = sql('UPDATE catalog_state SET version = version + 1 WHERE id = 1');

/**
 * The catalogue's version: one primary-key read tells a process whether its copy of the
 * `services` answer is stale. Opaque, only ever compared and incremented.
 */
export async function catalogVersion(q: Queryable): Promise<bigint> {
  const row = await q.get<{ version: bigint }>(selectCatalogVersion);
  return row?.version ?? 0n;
}

/** Call in the same transaction as any change to what `services` answers (services, categories, user rates). */
export async function bumpCatalogVersion(q: Queryable): Promise<void> {
  await q.run(bumpCatalogVersionSql);
}
