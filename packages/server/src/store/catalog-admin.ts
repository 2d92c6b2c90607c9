import { type Queryable, sql } from './database.js';
import type { ServiceRow } from './catalog.js';

export interface AdminServiceRow extends ServiceRow {
  category_sort: bigint;
  provider_id: bigint | null;
  provider_service_id: string | null;
  provider_rate: bigint | null;
}

const selectAllServices = sql(
  `SELECT s.id, s.category_id, c.name AS category, c.sort AS category_sort, s.name, s.type, s.description,
     s.rate, s.min_quantity, s.max_quantity, s.refill, s.refill_days, s.cancel, s.dripfeed,
     s.allow_duplicate_links, s.old_posts, s.enabled, s.mode, s.sort, s.provider_id, s.provider_service_id,
     s.provider_rate
   FROM services s JOIN categories c ON c.id = s.category_id
   ORDER BY c.sort, c.id, s.sort, s.id`,
);
const setServiceSortSql = sql('UPDATE services SET sort = ?, updated_at = ? WHERE id = ?');
const setCategorySortSql = sql('UPDATE categories SET sort = ? WHERE id = ?');
const selectCategories = sql(
  `SELECT c.id, c.name, c.sort, (SELECT COUNT(*) FROM services s WHERE s.category_id = c.id) AS services
   FROM categories c ORDER BY c.sort, c.id`,
);

/** Every service, enabled or not, in display order. */
export function listAllServices(q: Queryable): Promise<AdminServiceRow[]> {
  return q.all<AdminServiceRow>(selectAllServices);
}

export async function setServiceSort(q: Queryable, id: number, sort: number, now: number): Promise<boolean> {
  return (await q.run(setServiceSortSql, [sort, now, id])) === 1;
}

export async function setCategorySort(q: Queryable, id: number, sort: number): Promise<boolean> {
  return (await q.run(setCategorySortSql, [sort, id])) === 1;
}

export function listCategories(
  q: Queryable,
): Promise<{ id: bigint; name: string; sort: bigint; services: bigint }[]> {
  return q.all(selectCategories);
}

const setServiceEnabledSql = sql(
  'UPDATE services SET enabled = ?, updated_at = ? WHERE id = ? AND enabled <> ?',
);

/** Resolves to false when the service already had that state. */
export async function setServiceEnabled(
  q: Queryable,
  id: number,
  enabled: boolean,
  now: number,
): Promise<boolean> {
  const flag = enabled ? 1 : 0;
  return (await q.run(setServiceEnabledSql, [flag, now, id, flag])) === 1;
}

const selectProviderRate = sql('SELECT provider_rate FROM services WHERE id = ?');
const setServiceRateSql = sql('UPDATE services SET rate = ?, updated_at = ? WHERE id = ?');

/** A service's provider rate: undefined when no such service, null when it has none (manual). */
export async function findProviderRate(q: Queryable, id: number): Promise<bigint | null | undefined> {
  const row = await q.get<{ provider_rate: bigint | null }>(selectProviderRate, [id]);
  return row === undefined ? undefined : row.provider_rate;
}

export async function setServiceRate(q: Queryable, id: number, rate: bigint, now: number): Promise<void> {
  await q.run(setServiceRateSql, [rate, now, id]);
}
