import { type Queryable, sql } from './database.js';

/** What a catalogue sync writes: the provider's current terms and the local rate derived from them. */
export interface ProviderServiceTerms {
  readonly rate: bigint;
  readonly providerRate: bigint | null;
  readonly minQuantity: number;
  readonly maxQuantity: number;
  readonly refill: boolean;
  readonly cancel: boolean;
  readonly dripfeed: boolean;
  readonly enabled: boolean;
}

const linkServiceSql = sql(
  `UPDATE services SET mode = 'provider', provider_id = ?, provider_service_id = ?, provider_rate = ?
   WHERE id = ?`,
);
const selectLinkedService = sql('SELECT id FROM services WHERE provider_id = ? AND provider_service_id = ?');
const updateTermsSql = sql(
  `UPDATE services SET rate = ?, provider_rate = ?, min_quantity = ?, max_quantity = ?, refill = ?,
     cancel = ?, dripfeed = ?, enabled = ?, updated_at = ?
   WHERE id = ?`,
);

/** Makes a service provider-backed (mode 'provider'). */
export async function linkServiceToProvider(
  q: Queryable,
  serviceId: number,
  link: { providerId: number; providerServiceId: string; providerRate: bigint | null },
): Promise<void> {
  await q.run(linkServiceSql, [link.providerId, link.providerServiceId, link.providerRate, serviceId]);
}

/** The local service already backed by this provider service, if any (one at most: a unique index). */
export async function findLinkedService(
  q: Queryable,
  providerId: number,
  providerServiceId: string,
): Promise<number | null> {
  const row = await q.get<{ id: bigint }>(selectLinkedService, [providerId, providerServiceId]);
  return row ? Number(row.id) : null;
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
