import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { Dictionary, Id, List, Nullable, Rate, StringEnum } from './primitives.js';

/** A service as a customer may order it, at the customer's own rate. */
export const CatalogService = Type.Object(
  {
    id: Id,
    name: Type.String(),
    category: Type.String(),
    /** The service type's name ("Default", "Custom Comments"…): its parameters are in `types`. */
    type: Type.String(),
    description: Type.String(),
    rate: Rate,
    min: Type.Integer(),
    max: Type.Integer(),
    refill: Type.Boolean(),
    cancel: Type.Boolean(),
    dripfeed: Type.Boolean(),
    /** A Subscriptions service that takes `old_posts`. */
    oldPosts: Type.Boolean(),
    /**
     * Average time per 1000 units, in whole seconds: the mean of the 10 latest completed orders'
     * (completed − placed) × 1000 / quantity (README › Delivery statistics); null when unknown.
     */
    averageTimeSeconds: Nullable(Type.Integer()),
  },
  { title: 'CatalogService' },
);
export type CatalogService = Static<typeof CatalogService>;

/**
 * Where an order's quantity comes from: the `quantity` parameter, the lines of `param`, a fixed
 * `quantity`, or a subscription's posts.
 */
export const QuantitySource = Type.Object(
  {
    from: StringEnum(['param', 'lines', 'fixed', 'subscription']),
    param: Type.Optional(Type.String()),
    quantity: Type.Optional(Type.Integer()),
  },
  { title: 'QuantitySource' },
);
export type QuantitySource = Static<typeof QuantitySource>;

/** per1000: rate × quantity / 1000; flat: the rate is the price; perChild: each post is charged. */
export const Pricing = StringEnum(['per1000', 'flat', 'perChild']);
export type Pricing = Static<typeof Pricing>;

/** A service type's `add` parameters, required ones in the order they are validated. */
export const ServiceTypeSpec = Type.Object(
  {
    required: List(Type.String()),
    optional: List(Type.String()),
    quantity: QuantitySource,
    pricing: Pricing,
  },
  { title: 'ServiceTypeSpec' },
);
export type ServiceTypeSpec = Static<typeof ServiceTypeSpec>;

/** The price list, with the parameter set of every service type (from the table `add` validates against). */
export const Catalog = Type.Object(
  {
    services: List(CatalogService),
    /** The `delay` values (minutes) a subscription may take. */
    subscriptionDelays: List(Type.Integer()),
    /** By service type name. */
    types: Dictionary(ServiceTypeSpec),
  },
  { title: 'Catalog' },
);
export type Catalog = Static<typeof Catalog>;

export const getCatalog = endpoint('GET', '/catalog', { answer: Catalog });
