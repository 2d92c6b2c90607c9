import { type ServiceTypeName, readServiceTypeName } from '../domain/service-types.js';
import { isSet, numberOrNull } from './column-values.js';
import { type Queryable, idArray, sqlValues, sqlValuesByDialect } from './database.js';

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

/** A row of OFFER_COLUMNS as an array (`sqlValues`: no object with named properties built per row). */
type OfferValues = [
  id: bigint,
  type: string,
  rate: bigint,
  customRate: bigint | null,
  minQuantity: bigint,
  maxQuantity: bigint,
  dripfeed: bigint,
  allowDuplicateLinks: bigint,
  oldPosts: bigint,
  providerId: bigint | null,
  providerServiceId: string | null,
];

const OFFER_COLUMNS = `s.id, s.type, s.rate, r.rate AS custom_rate, s.min_quantity, s.max_quantity, s.dripfeed,
     s.allow_duplicate_links, s.old_posts,
     CASE WHEN s.mode = 'provider' THEN s.provider_id END AS provider_id,
     CASE WHEN s.mode = 'provider' THEN s.provider_service_id END AS provider_service_id`;

// The hot path of `add` and the web quote: one indexed read.
const selectServiceOffer = sqlValues(
  `SELECT ${OFFER_COLUMNS}
   FROM services s LEFT JOIN user_rates r ON r.service_id = s.id AND r.user_id = ?
   WHERE s.id = ? AND s.enabled = 1`,
);

// SQLite: the (user, service) pairs as one JSON array of [user, service]; PostgreSQL: two arrays matched by position.
const selectServiceOffers = sqlValuesByDialect({
  sqlite: `SELECT ${OFFER_COLUMNS}, p.value ->> 0 AS user_id
   FROM json_each(?) p
   JOIN services s ON s.id = p.value ->> 1
   LEFT JOIN user_rates r ON r.service_id = s.id AND r.user_id = p.value ->> 0
   WHERE s.enabled = 1`,
  postgres: `SELECT ${OFFER_COLUMNS}, p.user_id
   FROM unnest(?::bigint[], ?::bigint[]) AS p (user_id, service_id)
   JOIN services s ON s.id = p.service_id
   LEFT JOIN user_rates r ON r.service_id = s.id AND r.user_id = p.user_id
   WHERE s.enabled = 1`,
});

/** The service when it is enabled (undefined otherwise), with this user's custom rate. */
export async function findServiceOffer(
  q: Queryable,
  serviceId: number,
  userId: number,
): Promise<ServiceOffer | undefined> {
  const row = await q.get<OfferValues>(selectServiceOffer, [userId, serviceId]);
  return row && toServiceOffer(row);
}

/** The key of a user's offer for a service in `findServiceOffers`' answer. */
export function serviceOfferKey(userId: number, serviceId: number): string {
  return `${userId}:${serviceId}`;
}

/**
 * What `findServiceOffer` answers for each of these (user, service) pairs, with one statement, by
 * `serviceOfferKey`; a pair whose service is missing or disabled is absent.
 */
export async function findServiceOffers(
  q: Queryable,
  pairs: readonly { userId: number; serviceId: number }[],
): Promise<Map<string, ServiceOffer>> {
  const distinct = new Map<string, { userId: number; serviceId: number }>();
  for (const pair of pairs) distinct.set(serviceOfferKey(pair.userId, pair.serviceId), pair);
  const wanted = [...distinct.values()];
  const params = q.dialect === 'sqlite' ? [pairsJson(wanted)] : pairArrays(q, wanted);
  const rows = await q.all<[...OfferValues, userId: bigint]>(selectServiceOffers, params);
  const offers = new Map<string, ServiceOffer>();
  for (const row of rows) offers.set(serviceOfferKey(Number(row[11]), Number(row[0])), toServiceOffer(row));
  return offers;
}

/** SQLite: `[[user, service], …]` (ids are integers: joined, they are the JSON array's text). */
function pairsJson(pairs: readonly { userId: number; serviceId: number }[]): string {
  return `[${pairs.map((pair) => `[${pair.userId},${pair.serviceId}]`).join(',')}]`;
}

/** PostgreSQL: the users and the services as two arrays, matched by position. */
function pairArrays(q: Queryable, pairs: readonly { userId: number; serviceId: number }[]): string[] {
  return [
    idArray(
      q,
      pairs.map((pair) => pair.userId),
    ),
    idArray(
      q,
      pairs.map((pair) => pair.serviceId),
    ),
  ];
}

/** Whether two reads of an offer say the same: every field `add` decides or writes with. */
export function sameServiceOffer(a: ServiceOffer, b: ServiceOffer | undefined): boolean {
  return (
    b !== undefined &&
    a.id === b.id &&
    a.type === b.type &&
    a.rate === b.rate &&
    a.customRate === b.customRate &&
    a.minQuantity === b.minQuantity &&
    a.maxQuantity === b.maxQuantity &&
    a.dripfeed === b.dripfeed &&
    a.allowDuplicateLinks === b.allowDuplicateLinks &&
    a.oldPosts === b.oldPosts &&
    a.providerId === b.providerId &&
    a.providerServiceId === b.providerServiceId
  );
}

function toServiceOffer(row: readonly [...OfferValues, ...unknown[]]): ServiceOffer {
  return {
    id: Number(row[0]),
    type: readServiceTypeName(row[1]),
    rate: row[2],
    customRate: row[3],
    minQuantity: Number(row[4]),
    maxQuantity: Number(row[5]),
    dripfeed: isSet(row[6]),
    allowDuplicateLinks: isSet(row[7]),
    oldPosts: isSet(row[8]),
    providerId: numberOrNull(row[9]),
    providerServiceId: row[10],
  };
}
