import { type Queryable, sql } from './database.js';

// merge: A2's services.ts holds this function (and the rest of the services); this file exists only
// so the orders branch compiles on its own, and the merge takes A2's file.
const selectProviderRateSql = sql('SELECT provider_rate FROM services WHERE id = ?');

/**
 * What the provider charges per 1000 for this service (recorded at import and sync): undefined when
 * there is no such service, null when it is not provider-backed (or the rate is not known).
 */
export async function findProviderRate(q: Queryable, serviceId: number): Promise<bigint | null | undefined> {
  const row = await q.get<{ provider_rate: bigint | null }>(selectProviderRateSql, [serviceId]);
  return row === undefined ? undefined : row.provider_rate;
}
