import type { ServiceTypeName } from '../domain/service-types.js';
import { type Queryable, sql } from './database.js';

export interface ProviderRow {
  id: bigint;
  name: string;
  url: string;
  api_key: string;
  currency: string | null;
  last_balance: bigint | null;
  last_balance_at: bigint | null;
  /** Hundredths of a percent. */
  markup_percent: bigint;
  fixed_markup: bigint;
  /** 1 when the provider replays a repeated `request_id` instead of ordering twice. */
  honours_request_id: bigint;
  /** What a refusal of an order does: cancel and refund it, or hold it for review. */
  on_refusal: 'cancel' | 'review';
  /** Nothing is sent to it before this (out of balance, or down). */
  paused_until: bigint | null;
  last_error: string | null;
  last_error_at: bigint | null;
  created_at: bigint;
  updated_at: bigint;
}

/** A local service backed by a provider, with what sync compares against the provider's catalogue. */
export interface ProviderServiceRow {
  id: bigint;
  name: string;
  type: ServiceTypeName;
  rate: bigint;
  min_quantity: bigint;
  max_quantity: bigint;
  refill: bigint;
  cancel: bigint;
  dripfeed: bigint;
  enabled: bigint;
  provider_service_id: string;
  provider_rate: bigint | null;
}

/** What sync writes: the provider's current terms and the local rate derived from them. */
export interface ProviderServiceTerms {
  rate: bigint;
  providerRate: bigint | null;
  minQuantity: number;
  maxQuantity: number;
  refill: boolean;
  cancel: boolean;
  dripfeed: boolean;
  enabled: boolean;
}

const PROVIDER_COLUMNS = `id, name, url, api_key, currency, last_balance, last_balance_at, markup_percent,
  fixed_markup, honours_request_id, on_refusal, paused_until, last_error, last_error_at, created_at, updated_at`;

const insertProviderSql = sql(
  `INSERT INTO providers (name, url, api_key, currency, last_balance, last_balance_at, honours_request_id,
     on_refusal, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
);
const updatePolicySql = sql(
  'UPDATE providers SET honours_request_id = ?, on_refusal = ?, paused_until = ?, updated_at = ? WHERE id = ?',
);

/** How the dispatcher treats a provider (see ProviderRow). */
export interface ProviderPolicy {
  readonly honoursRequestId: boolean;
  readonly onRefusal: 'cancel' | 'review';
}

export async function updateProviderPolicy(
  q: Queryable,
  id: number,
  policy: ProviderPolicy & { readonly pausedUntil: number | null },
  now: number,
): Promise<void> {
  await q.run(updatePolicySql, [
    policy.honoursRequestId ? 1 : 0,
    policy.onRefusal,
    policy.pausedUntil,
    now,
    id,
  ]);
}
const selectProvider = sql(`SELECT ${PROVIDER_COLUMNS} FROM providers WHERE id = ?`);
const selectProviderIdByName = sql('SELECT id FROM providers WHERE name = ?');
const selectProviders = sql(`SELECT ${PROVIDER_COLUMNS} FROM providers ORDER BY id`);
const updateBalanceSql = sql(
  'UPDATE providers SET currency = ?, last_balance = ?, last_balance_at = ?, updated_at = ? WHERE id = ?',
);
const updateMarkupSql = sql(
  'UPDATE providers SET markup_percent = ?, fixed_markup = ?, updated_at = ? WHERE id = ?',
);
const linkServiceSql = sql(
  `UPDATE services SET mode = 'provider', provider_id = ?, provider_service_id = ?, provider_rate = ?
   WHERE id = ?`,
);
const selectLinkedService = sql('SELECT id FROM services WHERE provider_id = ? AND provider_service_id = ?');
const selectProviderServices = sql(
  `SELECT id, name, type, rate, min_quantity, max_quantity, refill, cancel, dripfeed, enabled,
     provider_service_id, provider_rate
   FROM services WHERE provider_id = ? ORDER BY id`,
);
const updateTermsSql = sql(
  `UPDATE services SET rate = ?, provider_rate = ?, min_quantity = ?, max_quantity = ?, refill = ?,
     cancel = ?, dripfeed = ?, enabled = ?, updated_at = ?
   WHERE id = ?`,
);

/** Resolves to the new provider's id, or null when the name is taken. */
export async function insertProvider(
  q: Queryable,
  provider: {
    name: string;
    url: string;
    apiKey: string;
    currency: string | null;
    balance: bigint | null;
    /** Default: no request_id replay trusted, refusals cancel (see DEFAULT_PROVIDER_POLICY). */
    policy?: ProviderPolicy;
    now: number;
  },
): Promise<number | null> {
  const row = await q.get<{ id: bigint }>(insertProviderSql, [
    provider.name,
    provider.url,
    provider.apiKey,
    provider.currency,
    provider.balance,
    provider.balance === null ? null : provider.now,
    provider.policy?.honoursRequestId ? 1 : 0,
    provider.policy?.onRefusal ?? 'cancel',
    provider.now,
    provider.now,
  ]);
  return row ? Number(row.id) : null;
}

export function findProvider(q: Queryable, id: number): Promise<ProviderRow | undefined> {
  return q.get<ProviderRow>(selectProvider, [id]);
}

export async function providerNameTaken(q: Queryable, name: string): Promise<boolean> {
  return (await q.get<{ id: bigint }>(selectProviderIdByName, [name])) !== undefined;
}

export function listProviders(q: Queryable): Promise<ProviderRow[]> {
  return q.all<ProviderRow>(selectProviders);
}

export async function recordProviderBalance(
  q: Queryable,
  id: number,
  balance: { currency: string; amount: bigint; now: number },
): Promise<void> {
  await q.run(updateBalanceSql, [balance.currency, balance.amount, balance.now, balance.now, id]);
}

export async function recordProviderMarkup(
  q: Queryable,
  id: number,
  markup: { percentHundredths: bigint; fixed: bigint; now: number },
): Promise<void> {
  await q.run(updateMarkupSql, [markup.percentHundredths, markup.fixed, markup.now, id]);
}

/** Makes a service provider-backed (mode 'provider'). */
export async function linkServiceToProvider(
  q: Queryable,
  serviceId: number,
  link: { providerId: number; providerServiceId: string; providerRate: bigint | null },
): Promise<void> {
  await q.run(linkServiceSql, [link.providerId, link.providerServiceId, link.providerRate, serviceId]);
}

/** The local service already backed by this provider service, if any. */
export async function findLinkedService(
  q: Queryable,
  providerId: number,
  providerServiceId: string,
): Promise<number | null> {
  const row = await q.get<{ id: bigint }>(selectLinkedService, [providerId, providerServiceId]);
  return row ? Number(row.id) : null;
}

export function listProviderServices(q: Queryable, providerId: number): Promise<ProviderServiceRow[]> {
  return q.all<ProviderServiceRow>(selectProviderServices, [providerId]);
}

export async function updateProviderServiceTerms(
  q: Queryable,
  serviceId: number,
  terms: ProviderServiceTerms,
  now: number,
): Promise<void> {
  await q.run(updateTermsSql, [
    terms.rate,
    terms.providerRate,
    terms.minQuantity,
    terms.maxQuantity,
    terms.refill,
    terms.cancel,
    terms.dripfeed,
    terms.enabled,
    now,
    serviceId,
  ]);
}
