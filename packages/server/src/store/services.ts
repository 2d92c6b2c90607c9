import { type ServiceMode, readServiceMode } from '../domain/fulfilment.js';
import type { ServiceTypeName } from '../domain/service-types.js';
import { isSet, numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** What the owner sets on a service (CLI flags, admin form, a provider import), as it is stored. */
export interface ServiceFields {
  readonly categoryId: number;
  readonly name: string;
  readonly type: ServiceTypeName;
  readonly description: string;
  /** Per 1000 (or the price, for flat-priced types). */
  readonly rate: bigint;
  readonly minQuantity: number;
  readonly maxQuantity: number;
  readonly refill: boolean;
  readonly refillDays: number;
  readonly cancel: boolean;
  readonly dripfeed: boolean;
  readonly allowDuplicateLinks: boolean;
  /** Subscriptions services only: whether `add` may ask for existing posts (old_posts). */
  readonly oldPosts: boolean;
  readonly enabled: boolean;
}

/** A service with its category, display position and provider backing. */
export interface Service extends Omit<ServiceFields, 'type'> {
  readonly id: number;
  /**
   * As stored: one of SERVICE_TYPE_NAMES when smmkit wrote it, yet kept as text, so a type this
   * version does not know (set by hand, or by a newer version) is still listed by `services` as it
   * is; what needs the type's parameter set reads it with readServiceTypeName.
   */
  readonly type: string;
  readonly category: string;
  readonly mode: ServiceMode;
  readonly sort: number;
  /** Set when the service is provider-backed: which provider service fulfils it. */
  readonly providerId: number | null;
  readonly providerServiceId: string | null;
  /** What the provider charges per 1000, recorded at import and sync; null until known. */
  readonly providerRate: bigint | null;
}

interface ServiceRow {
  id: bigint;
  category_id: bigint;
  category: string;
  name: string;
  type: string;
  description: string;
  rate: bigint;
  min_quantity: bigint;
  max_quantity: bigint;
  refill: bigint;
  refill_days: bigint;
  cancel: bigint;
  dripfeed: bigint;
  allow_duplicate_links: bigint;
  old_posts: bigint;
  enabled: bigint;
  mode: string;
  sort: bigint;
  provider_id: bigint | null;
  provider_service_id: string | null;
  provider_rate: bigint | null;
}

function toService(row: ServiceRow): Service {
  return {
    id: Number(row.id),
    categoryId: Number(row.category_id),
    category: row.category,
    name: row.name,
    type: row.type,
    description: row.description,
    rate: row.rate,
    minQuantity: Number(row.min_quantity),
    maxQuantity: Number(row.max_quantity),
    refill: isSet(row.refill),
    refillDays: Number(row.refill_days),
    cancel: isSet(row.cancel),
    dripfeed: isSet(row.dripfeed),
    allowDuplicateLinks: isSet(row.allow_duplicate_links),
    oldPosts: isSet(row.old_posts),
    enabled: isSet(row.enabled),
    mode: readServiceMode(row.mode),
    sort: Number(row.sort),
    providerId: numberOrNull(row.provider_id),
    providerServiceId: row.provider_service_id,
    providerRate: row.provider_rate,
  };
}

const SELECT_SERVICES = `SELECT s.id, s.category_id, c.name AS category, s.name, s.type, s.description, s.rate,
    s.min_quantity, s.max_quantity, s.refill, s.refill_days, s.cancel, s.dripfeed, s.allow_duplicate_links,
    s.old_posts, s.enabled, s.mode, s.sort, s.provider_id, s.provider_service_id, s.provider_rate
  FROM services s JOIN categories c ON c.id = s.category_id`;
const DISPLAY_ORDER = 'ORDER BY c.sort, c.id, s.sort, s.id';

const selectService = sql(`${SELECT_SERVICES} WHERE s.id = ?`);
const selectEnabledServices = sql(`${SELECT_SERVICES} WHERE s.enabled = 1 ${DISPLAY_ORDER}`);
const selectAllServices = sql(`${SELECT_SERVICES} ${DISPLAY_ORDER}`);
const selectServicesOfProvider = sql(`${SELECT_SERVICES} WHERE s.provider_id = ? ORDER BY s.id`);

export async function findService(q: Queryable, id: number): Promise<Service | undefined> {
  const row = await q.get<ServiceRow>(selectService, [id]);
  return row && toService(row);
}

/** What `services` answers and the price list shows, in display order. */
export async function listEnabledServices(q: Queryable): Promise<Service[]> {
  return (await q.all<ServiceRow>(selectEnabledServices)).map(toService);
}

/** Every service, enabled or not, in display order (the admin's catalogue). */
export async function listAllServices(q: Queryable): Promise<Service[]> {
  return (await q.all<ServiceRow>(selectAllServices)).map(toService);
}

/** A service some provider fulfils. */
export interface ProviderBackedService extends Service {
  readonly providerId: number;
  readonly providerServiceId: string;
}

/** The services a provider backs, by id: what a catalogue sync compares with the provider's offer. */
export async function listServicesOfProvider(
  q: Queryable,
  providerId: number,
): Promise<ProviderBackedService[]> {
  const rows = await q.all<ServiceRow>(selectServicesOfProvider, [providerId]);
  return rows.map((row) => {
    const service = toService(row);
    // linkServiceToProvider sets both columns at once.
    if (service.providerServiceId === null)
      throw new Error(`service ${service.id} has no provider service id`);
    return { ...service, providerId, providerServiceId: service.providerServiceId };
  });
}

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

const setServiceSortSql = sql('UPDATE services SET sort = ?, updated_at = ? WHERE id = ?');
const setServiceEnabledSql = sql(
  'UPDATE services SET enabled = ?, updated_at = ? WHERE id = ? AND enabled <> ?',
);
const setServiceRateSql = sql('UPDATE services SET rate = ?, updated_at = ? WHERE id = ?');
const selectProviderRate = sql('SELECT provider_rate FROM services WHERE id = ?');

/** Resolves to false when there is no such service. */
export async function setServiceSort(q: Queryable, id: number, sort: number, now: number): Promise<boolean> {
  return (await q.run(setServiceSortSql, [sort, now, id])) === 1;
}

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

export async function setServiceRate(q: Queryable, id: number, rate: bigint, now: number): Promise<void> {
  await q.run(setServiceRateSql, [rate, now, id]);
}

/**
 * What the provider charges per 1000 for a service (recorded at import and sync): undefined when
 * there is no such service, null when it has none (manual, or not known yet).
 */
export async function findProviderRate(q: Queryable, serviceId: number): Promise<bigint | null | undefined> {
  const row = await q.get<{ provider_rate: bigint | null }>(selectProviderRate, [serviceId]);
  return row === undefined ? undefined : row.provider_rate;
}
