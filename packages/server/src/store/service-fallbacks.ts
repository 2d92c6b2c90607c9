import { isSet } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** A provider service able to fulfil a local service. */
export interface ProviderLink {
  readonly providerId: number;
  readonly providerServiceId: string;
}

/** A service's failover settings: its backups in order, and whether a backup may cost more than the charge. */
export interface ServiceFallbacks {
  readonly serviceId: number;
  /** The service's own provider (null: a manual service). */
  readonly primary: ProviderLink | null;
  readonly fallbacks: readonly ProviderLink[];
  readonly sellAtLoss: boolean;
}

interface ServiceLinkRow {
  id: bigint;
  provider_id: bigint | null;
  provider_service_id: string | null;
  sell_at_loss: bigint;
}
interface FallbackRow {
  provider_id: bigint;
  provider_service_id: string;
}

const selectServiceLink = sql(
  'SELECT id, provider_id, provider_service_id, sell_at_loss FROM services WHERE id = ?',
);
const selectFallbacks = sql(
  'SELECT provider_id, provider_service_id FROM service_fallbacks WHERE service_id = ? ORDER BY sort',
);
const deleteFallbacks = sql('DELETE FROM service_fallbacks WHERE service_id = ?');
const insertFallback = sql(
  `INSERT INTO service_fallbacks (service_id, sort, provider_id, provider_service_id, created_at)
   VALUES (?, ?, ?, ?, ?)`,
);
const updateSellAtLoss = sql('UPDATE services SET sell_at_loss = ? WHERE id = ?');

const toLink = (row: FallbackRow): ProviderLink => ({
  providerId: Number(row.provider_id),
  providerServiceId: row.provider_service_id,
});

/** A service's failover settings; undefined when there is no such service. */
export async function findServiceFallbacks(
  q: Queryable,
  serviceId: number,
): Promise<ServiceFallbacks | undefined> {
  const service = await q.get<ServiceLinkRow>(selectServiceLink, [serviceId]);
  if (!service) return undefined;
  const fallbacks = (await q.all<FallbackRow>(selectFallbacks, [serviceId])).map(toLink);
  return {
    serviceId,
    primary:
      service.provider_id === null || service.provider_service_id === null
        ? null
        : { providerId: Number(service.provider_id), providerServiceId: service.provider_service_id },
    fallbacks,
    sellAtLoss: isSet(service.sell_at_loss),
  };
}

/** Replaces a service's backups (in the caller's transaction, which bumps nothing: `services` does not show them). */
export async function replaceServiceFallbacks(
  q: Queryable,
  serviceId: number,
  fallbacks: readonly ProviderLink[],
  now: number,
): Promise<void> {
  await q.run(deleteFallbacks, [serviceId]);
  let sort = 0;
  for (const link of fallbacks) {
    await q.run(insertFallback, [serviceId, sort++, link.providerId, link.providerServiceId, now]);
  }
}

export async function setSellAtLoss(q: Queryable, serviceId: number, sellAtLoss: boolean): Promise<void> {
  await q.run(updateSellAtLoss, [sellAtLoss, serviceId]);
}
