import { type Static, Type } from 'typebox';
import { QuantitySource, Pricing } from './catalog.js';
import { endpoint } from './endpoint.js';
import { List } from './primitives.js';

export const ActionDoc = Type.Object(
  {
    action: Type.String(),
    summary: Type.String(),
    parameters: List(Type.Object({ name: Type.String(), description: Type.String() })),
    /** A ready-to-run example. */
    curl: Type.String(),
    /** An example answer, as JSON text. */
    answer: Type.String(),
    /** The exact error strings the action answers. */
    errors: List(Type.String()),
  },
  { title: 'ActionDoc' },
);
export type ActionDoc = Static<typeof ActionDoc>;

export const ServiceTypeDoc = Type.Object(
  {
    type: Type.String(),
    required: List(Type.String()),
    /** Drip-feed types list `runs` and `interval` here. */
    optional: List(Type.String()),
    quantity: QuantitySource,
    pricing: Pricing,
  },
  { title: 'ServiceTypeDoc' },
);
export type ServiceTypeDoc = Static<typeof ServiceTypeDoc>;

/** The client area's API page, generated from what the server runs. */
export const ApiDocs = Type.Object(
  {
    /** The API v2 endpoint of this panel. */
    url: Type.String(),
    /** Errors any action may answer. */
    common: Type.Object({ errors: List(Type.String()) }),
    actions: List(ActionDoc),
    serviceTypes: List(ServiceTypeDoc),
    subscriptionDelays: List(Type.Integer()),
  },
  { title: 'ApiDocs' },
);
export type ApiDocs = Static<typeof ApiDocs>;

export const getApiDocs = endpoint('GET', '/api-docs', { answer: ApiDocs });
