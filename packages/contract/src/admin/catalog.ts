import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { Id, List, Nullable, Rate, StringEnum } from '../primitives.js';
import { IdParams } from '../request-params.js';

export const AdminCategory = Type.Object(
  { id: Id, name: Type.String(), sort: Type.Integer(), services: Type.Integer() },
  { title: 'AdminCategory' },
);
export type AdminCategory = Static<typeof AdminCategory>;

/** A service as its owner sees it: enabled or not, with its provider backing. */
export const AdminService = Type.Object(
  {
    id: Id,
    categoryId: Id,
    category: Type.String(),
    name: Type.String(),
    type: Type.String(),
    description: Type.String(),
    rate: Rate,
    min: Type.Integer(),
    max: Type.Integer(),
    refill: Type.Boolean(),
    refillDays: Type.Integer(),
    cancel: Type.Boolean(),
    dripfeed: Type.Boolean(),
    allowDuplicateLinks: Type.Boolean(),
    enabled: Type.Boolean(),
    /** manual or provider. */
    mode: Type.String(),
    sort: Type.Integer(),
    providerId: Nullable(Id),
    providerServiceId: Nullable(Type.String()),
    providerRate: Nullable(Rate),
  },
  { title: 'AdminService' },
);
export type AdminService = Static<typeof AdminService>;

/** Every category and service in display order. */
export const AdminCatalog = Type.Object(
  { categories: List(AdminCategory), services: List(AdminService) },
  { title: 'AdminCatalog' },
);
export type AdminCatalog = Static<typeof AdminCatalog>;

/** A service as the owner describes it; the server validates it as a whole (and says which field is wrong). */
const serviceFields = {
  name: Type.String({ maxLength: 200 }),
  type: Type.String({ maxLength: 60 }),
  category: Type.String({ maxLength: 200 }),
  rate: Type.String({ maxLength: 30 }),
  min: Type.Integer(),
  max: Type.Integer(),
  refill: Type.Optional(Type.Boolean()),
  refillDays: Type.Optional(Type.Integer()),
  cancel: Type.Optional(Type.Boolean()),
  dripfeed: Type.Optional(Type.Boolean()),
  allowDuplicateLinks: Type.Optional(Type.Boolean()),
  description: Type.Optional(Type.String({ maxLength: 10_000 })),
  enabled: Type.Optional(Type.Boolean()),
};

/** A new service: the fields left out take the panel's defaults. */
export const ServiceBody = Type.Object(serviceFields, { title: 'ServiceBody', additionalProperties: false });
export type ServiceBody = Static<typeof ServiceBody>;

/** Changes to a service: at least one field. */
export const ServiceChangesBody = Type.Partial(Type.Object(serviceFields), {
  title: 'ServiceChangesBody',
  additionalProperties: false,
  minProperties: 1,
});
export type ServiceChangesBody = Static<typeof ServiceChangesBody>;

export const ServiceSaved = Type.Object({ id: Id }, { title: 'ServiceSaved' });
export type ServiceSaved = Static<typeof ServiceSaved>;

export const BulkEnableBody = Type.Object(
  { ids: List(Type.Integer({ minimum: 1 }), { maxItems: 1000 }), enabled: Type.Boolean() },
  { title: 'BulkEnableBody', additionalProperties: false },
);
export type BulkEnableBody = Static<typeof BulkEnableBody>;

export const ServicesChanged = Type.Object({ changed: Type.Integer() }, { title: 'ServicesChanged' });
export type ServicesChanged = Static<typeof ServicesChanged>;

/** The new order: each id's position becomes its sort key. */
export const ReorderBody = Type.Object(
  {
    what: StringEnum(['categories', 'services']),
    ids: List(Type.Integer({ minimum: 1 }), { maxItems: 10_000 }),
  },
  { title: 'ReorderBody', additionalProperties: false },
);
export type ReorderBody = Static<typeof ReorderBody>;

export const Reordered = Type.Object({ ids: List(Id) }, { title: 'Reordered' });
export type Reordered = Static<typeof Reordered>;

/** Provider-backed services priced at their provider's rate with this markup (a percentage and a fixed amount). */
export const RepriceBody = Type.Object(
  {
    ids: List(Type.Integer({ minimum: 1 }), { maxItems: 1000 }),
    /** e.g. "25%". */
    markup: Type.String({ maxLength: 20 }),
    fixed: Type.Optional(Type.String({ maxLength: 30 })),
  },
  { title: 'RepriceBody', additionalProperties: false },
);
export type RepriceBody = Static<typeof RepriceBody>;

export const Repriced = Type.Object(
  { services: List(Type.Object({ id: Id, rate: Rate })) },
  { title: 'Repriced' },
);
export type Repriced = Static<typeof Repriced>;

export const getAdminCatalog = endpoint('GET', '/admin/catalog', { answer: AdminCatalog });
export const createService = endpoint('POST', '/admin/services', { body: ServiceBody, answer: ServiceSaved });
export const updateService = endpoint('PATCH', '/admin/services/:id', {
  params: IdParams,
  body: ServiceChangesBody,
  answer: ServiceSaved,
});
export const enableServices = endpoint('POST', '/admin/services/bulk', {
  body: BulkEnableBody,
  answer: ServicesChanged,
});
export const reorderCatalog = endpoint('POST', '/admin/catalog/reorder', {
  body: ReorderBody,
  answer: Reordered,
});
export const repriceServices = endpoint('POST', '/admin/services/markup', {
  body: RepriceBody,
  answer: Repriced,
});
