import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { Id, IsoTime, List, Nullable, StringEnum } from './primitives.js';
import { PageQuery } from './request-params.js';
import { SERVICE_UPDATE_KINDS } from './service-update-kinds.js';

export { SERVICE_UPDATE_KINDS };

/**
 * A catalogue change a customer would care about. `old` and `new`: rates (per 1000, as the price
 * list shows them) for `price_up` and `price_down`, and `new` of `new` and `enabled` (the price it
 * comes at); quantities for `min_changed` and `max_changed`; null otherwise.
 */
export const ServiceUpdateView = Type.Object(
  {
    id: Id,
    serviceId: Id,
    /** The service's name today. */
    serviceName: Type.String(),
    kind: StringEnum(SERVICE_UPDATE_KINDS),
    old: Nullable(Type.String()),
    new: Nullable(Type.String()),
    createdAt: IsoTime,
  },
  { title: 'ServiceUpdateView' },
);
export type ServiceUpdateView = Static<typeof ServiceUpdateView>;

/** Newest first, 50 a page. */
export const ServiceUpdatePage = Type.Object(
  { updates: List(ServiceUpdateView), page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer() },
  { title: 'ServiceUpdatePage' },
);
export type ServiceUpdatePage = Static<typeof ServiceUpdatePage>;

export const listServiceUpdates = endpoint('GET', '/service-updates', {
  querystring: PageQuery,
  answer: ServiceUpdatePage,
});
