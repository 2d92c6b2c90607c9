import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { Id, IsoTime, List, Nullable } from '../primitives.js';
import { IdParams } from '../request-params.js';

/** A provider's service: which provider, and the service's id there. */
export const ProviderLink = Type.Object(
  {
    providerId: Type.Integer({ minimum: 1 }),
    providerServiceId: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { title: 'ProviderLink', additionalProperties: false },
);
export type ProviderLink = Static<typeof ProviderLink>;

/** Where a service's orders go: its provider, then its backups in order (failover). */
export const ServiceFailover = Type.Object(
  {
    serviceId: Id,
    primary: Nullable(ProviderLink),
    fallbacks: List(ProviderLink),
    /** A backup dearer than an order's charge may take it. */
    sellAtLoss: Type.Boolean(),
  },
  { title: 'ServiceFailover' },
);
export type ServiceFailover = Static<typeof ServiceFailover>;

/** Changes to where a service's orders go; only what is given changes (an empty list clears the backups). */
export const ServiceFailoverBody = Type.Object(
  {
    primary: Type.Optional(ProviderLink),
    fallbacks: Type.Optional(List(ProviderLink, { maxItems: 5 })),
    sellAtLoss: Type.Optional(Type.Boolean()),
  },
  { title: 'ServiceFailoverBody', additionalProperties: false, minProperties: 1 },
);
export type ServiceFailoverBody = Static<typeof ServiceFailoverBody>;

/** One attempt to hand an order to a provider, and where the order went after it. */
export const ProviderAttemptRecord = Type.Object(
  {
    at: IsoTime,
    providerId: Id,
    provider: Type.String(),
    providerServiceId: Type.String(),
    /** accepted, error-answer, out-of-funds, service-unavailable, provider-paused, not-arrived, unknown. */
    outcome: Type.String(),
    reason: Nullable(Type.String()),
    providerOrderId: Nullable(Type.String()),
    movedTo: Nullable(
      Type.Object({ providerId: Id, provider: Type.String(), providerServiceId: Type.String() }),
    ),
  },
  { title: 'ProviderAttemptRecord' },
);
export type ProviderAttemptRecord = Static<typeof ProviderAttemptRecord>;

export const OrderProviderHistory = Type.Object(
  { orderId: Id, attempts: List(ProviderAttemptRecord) },
  { title: 'OrderProviderHistory' },
);
export type OrderProviderHistory = Static<typeof OrderProviderHistory>;

export const getServiceFailover = endpoint('GET', '/admin/services/:id/failover', {
  params: IdParams,
  answer: ServiceFailover,
});
export const setServiceFailover = endpoint('PUT', '/admin/services/:id/failover', {
  params: IdParams,
  body: ServiceFailoverBody,
  answer: ServiceFailover,
});
export const getOrderProviderHistory = endpoint('GET', '/admin/orders/:id/providers', {
  params: IdParams,
  answer: OrderProviderHistory,
});
