import type { ServiceTypeName } from '../domain/service-types.js';
import { type Queryable, sql } from './database.js';

export interface ServiceRow {
  id: bigint;
  category_id: bigint;
  category: string;
  name: string;
  type: ServiceTypeName;
  description: string;
  rate: bigint;
  min_quantity: bigint;
  max_quantity: bigint;
  refill: bigint;
  refill_days: bigint;
  cancel: bigint;
  dripfeed: bigint;
  allow_duplicate_links: bigint;
  /** Subscriptions services only: whether `add` may ask for existing posts (old_posts). */
  old_posts: bigint;
  enabled: bigint;
  mode: 'manual' | 'provider';
  sort: bigint;
}

/** The columns a service is created or updated with, as stored. */
export interface ServiceFields {
  categoryId: number;
  name: string;
  type: ServiceTypeName;
  description: string;
  rate: bigint;
  minQuantity: number;
  maxQuantity: number;
  refill: boolean;
  refillDays: number;
  cancel: boolean;
  dripfeed: boolean;
  allowDuplicateLinks: boolean;
  oldPosts: boolean;
  enabled: boolean;
}

const SERVICE_COLUMNS = `s.id, s.category_id, c.name AS category, s.name, s.type, s.description, s.rate,
  s.min_quantity, s.max_quantity, s.refill, s.refill_days, s.cancel, s.dripfeed, s.allow_duplicate_links,
  s.old_posts, s.enabled, s.mode, s.sort`;

const selectCategoryId = sql('SELECT id FROM categories WHERE name = ?');
const insertCategory = sql(
  'INSERT INTO categories (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING id',
);
const insertServiceSql = sql(
  `INSERT INTO services (category_id, name, type, description, rate, min_quantity, max_quantity, refill,
     refill_days, cancel, dripfeed, allow_duplicate_links, old_posts, enabled, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
);
const updateServiceSql = sql(
  `UPDATE services SET category_id = ?, name = ?, type = ?, description = ?, rate = ?, min_quantity = ?,
     max_quantity = ?, refill = ?, refill_days = ?, cancel = ?, dripfeed = ?, allow_duplicate_links = ?,
     old_posts = ?, enabled = ?, updated_at = ?
   WHERE id = ?`,
);
const selectService = sql(
  `SELECT ${SERVICE_COLUMNS} FROM services s JOIN categories c ON c.id = s.category_id WHERE s.id = ?`,
);
const selectEnabledServices = sql(
  `SELECT ${SERVICE_COLUMNS} FROM services s JOIN categories c ON c.id = s.category_id
   WHERE s.enabled = 1 ORDER BY c.sort, c.id, s.sort, s.id`,
);
const selectCatalogVersion = sql('SELECT version FROM catalog_state WHERE id = 1');
const bumpCatalogVersionSql = sql('UPDATE catalog_state SET version = version + 1 WHERE id = 1');
const upsertUserRateSql = sql(
  `INSERT INTO user_rates (user_id, service_id, rate, created_at) VALUES (?, ?, ?, ?)
   ON CONFLICT (user_id, service_id) DO UPDATE SET rate = excluded.rate`,
);
const deleteUserRateSql = sql('DELETE FROM user_rates WHERE user_id = ? AND service_id = ?');
const selectUserRates = sql('SELECT user_id, service_id, rate FROM user_rates');

/** What `add` reads about a service, with the caller's custom rate when one is set. */
export interface OrderableServiceRow {
  id: bigint;
  type: ServiceTypeName;
  rate: bigint;
  custom_rate: bigint | null;
  min_quantity: bigint;
  max_quantity: bigint;
  dripfeed: bigint;
  allow_duplicate_links: bigint;
  old_posts: bigint;
  /** Set when the service is provider-backed: where its orders are forwarded. */
  provider_id: bigint | null;
  provider_service_id: string | null;
}

const selectOrderableService = sql(
  `SELECT s.id, s.type, s.rate, r.rate AS custom_rate, s.min_quantity, s.max_quantity, s.dripfeed,
     s.allow_duplicate_links, s.old_posts,
     CASE WHEN s.mode = 'provider' THEN s.provider_id END AS provider_id,
     CASE WHEN s.mode = 'provider' THEN s.provider_service_id END AS provider_service_id
   FROM services s LEFT JOIN user_rates r ON r.service_id = s.id AND r.user_id = ?
   WHERE s.id = ? AND s.enabled = 1`,
);

export async function findOrCreateCategory(q: Queryable, name: string, now: number): Promise<number> {
  const inserted = await q.get<{ id: bigint }>(insertCategory, [name, now]);
  if (inserted) return Number(inserted.id);
  const existing = await q.get<{ id: bigint }>(selectCategoryId, [name]);
  if (!existing) throw new Error(`category ${name} vanished`);
  return Number(existing.id);
}

function serviceValues(fields: ServiceFields): (string | number | bigint | boolean)[] {
  return [
    fields.categoryId,
    fields.name,
    fields.type,
    fields.description,
    fields.rate,
    fields.minQuantity,
    fields.maxQuantity,
    fields.refill,
    fields.refillDays,
    fields.cancel,
    fields.dripfeed,
    fields.allowDuplicateLinks,
    fields.oldPosts,
    fields.enabled,
  ];
}

export async function insertService(q: Queryable, fields: ServiceFields, now: number): Promise<number> {
  const row = await q.get<{ id: bigint }>(insertServiceSql, [...serviceValues(fields), now, now]);
  if (!row) throw new Error('service insert returned no id');
  return Number(row.id);
}

export async function updateService(
  q: Queryable,
  id: number,
  fields: ServiceFields,
  now: number,
): Promise<void> {
  await q.run(updateServiceSql, [...serviceValues(fields), now, id]);
}

export function findService(q: Queryable, id: number): Promise<ServiceRow | undefined> {
  return q.get<ServiceRow>(selectService, [id]);
}

export function findOrderableService(
  q: Queryable,
  serviceId: number,
  userId: number,
): Promise<OrderableServiceRow | undefined> {
  return q.get<OrderableServiceRow>(selectOrderableService, [userId, serviceId]);
}

export function listEnabledServices(q: Queryable): Promise<ServiceRow[]> {
  return q.all<ServiceRow>(selectEnabledServices);
}

export function listUserRates(
  q: Queryable,
): Promise<{ user_id: bigint; service_id: bigint; rate: bigint }[]> {
  return q.all(selectUserRates);
}

export async function catalogVersion(q: Queryable): Promise<bigint> {
  const row = await q.get<{ version: bigint }>(selectCatalogVersion);
  return row?.version ?? 0n;
}

/** Call in the same transaction as any change to what `services` answers. */
export async function bumpCatalogVersion(q: Queryable): Promise<void> {
  await q.run(bumpCatalogVersionSql);
}

export async function upsertUserRate(
  q: Queryable,
  rate: { userId: number; serviceId: number; rate: bigint; now: number },
): Promise<void> {
  await q.run(upsertUserRateSql, [rate.userId, rate.serviceId, rate.rate, rate.now]);
}

export async function deleteUserRate(q: Queryable, userId: number, serviceId: number): Promise<void> {
  await q.run(deleteUserRateSql, [userId, serviceId]);
}
