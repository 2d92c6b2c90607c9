import { type ServiceTypeName, readServiceTypeName } from '../domain/service-types.js';
import { isSet, numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** What `add` reads about an enabled service, with the caller's custom rate when one is set. */
export interface ServiceOffer {
  readonly id: number;
  readonly type: ServiceTypeName;
  readonly rate: bigint;
  /** This user's own rate for the service, or null for the service's rate. */
  readonly customRate: bigint | null;
  readonly minQuantity: number;
  readonly maxQuantity: number;
  readonly dripfeed: boolean;
  readonly allowDuplicateLinks: boolean;
  readonly oldPosts: boolean;
  /** Set when the service is provider-backed: where its orders are forwarded. */
  readonly providerId: number | null;
  readonly providerServiceId: string | null;
}

interface ServiceOfferRow {
  id: bigint;
  type: string;
  rate: bigint;
  custom_rate: bigint | null;
  min_quantity: bigint;
  max_quantity: bigint;
  dripfeed: bigint;
  allow_duplicate_links: bigint;
  old_posts: bigint;
  provider_id: bigint | null;
  provider_service_id: string | null;
}

// The hot path of `add` and the web quote: one indexed read.
const selectServiceOffer = sql(
  `SELECT s.id, s.type, s.rate, r.rate AS custom_rate, s.min_quantity, s.max_quantity, s.dripfeed,
     s.allow_duplicate_links, s.old_posts,
     CASE WHEN s.mode = 'provider' THEN s.provider_id END AS provider_id,
     CASE WHEN s.mode = 'provider' THEN s.provider_service_id END AS provider_service_id
   FROM services s LEFT JOIN user_rates r ON r.service_id = s.id AND r.user_id = ?
   WHERE s.id = ? AND s.enabled = 1`,
);

/** The service when it is enabled (undefined otherwise), with this user's custom rate. */
export async function findServiceOffer(
  q: Queryable,
  serviceId: number,
  userId: number,
): Promise<ServiceOffer | undefined> {
  const row = await q.get<ServiceOfferRow>(selectServiceOffer, [userId, serviceId]);
  return (
    row && {
      id: Number(row.id),
      type: readServiceTypeName(row.type),
      rate: row.rate,
      customRate: row.custom_rate,
      minQuantity: Number(row.min_quantity),
      maxQuantity: Number(row.max_quantity),
      dripfeed: isSet(row.dripfeed),
      allowDuplicateLinks: isSet(row.allow_duplicate_links),
      oldPosts: isSet(row.old_posts),
      providerId: numberOrNull(row.provider_id),
      providerServiceId: row.provider_service_id,
    }
  );
}
