import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { Id, IsoTime, List, Money, Nullable } from '../primitives.js';

/** Orders placed in the window (ordinary orders, drip-feed runs, subscription posts) and how they stand now. */
export const DeliveryWindow = Type.Object(
  {
    orders: Type.Integer(),
    completed: Type.Integer(),
    partial: Type.Integer(),
    canceled: Type.Integer(),
    /** Refunded to customers on those orders. */
    refunded: Money,
    /** Refills requested in the window. */
    refills: Type.Integer(),
  },
  { title: 'DeliveryWindow' },
);
export type DeliveryWindow = Static<typeof DeliveryWindow>;

/** One service's (or provider's) figures over the last 7 and 30 days. */
export const DeliveryRow = Type.Object(
  {
    id: Id,
    name: Type.String(),
    /** Per 1000 units, whole seconds (README › Delivery statistics); null when unknown. */
    averageTimeSeconds: Nullable(Type.Integer()),
    last7: DeliveryWindow,
    last30: DeliveryWindow,
  },
  { title: 'DeliveryRow' },
);
export type DeliveryRow = Static<typeof DeliveryRow>;

/** An order in progress for more than 3× its service's average time (scaled to its quantity). */
export const StuckOrder = Type.Object(
  {
    id: Id,
    serviceId: Id,
    serviceName: Type.String(),
    providerId: Nullable(Id),
    /** Pending, In progress, Processing. */
    status: Type.String(),
    quantity: Type.Integer(),
    createdAt: IsoTime,
    /** How long it has waited, whole seconds. */
    waitedSeconds: Type.Integer(),
    /** Its service's average time for its quantity, whole seconds. */
    expectedSeconds: Type.Integer(),
  },
  { title: 'StuckOrder' },
);
export type StuckOrder = Static<typeof StuckOrder>;

export const DeliveryStats = Type.Object(
  { services: List(DeliveryRow), providers: List(DeliveryRow), stuck: List(StuckOrder) },
  { title: 'DeliveryStats' },
);
export type DeliveryStats = Static<typeof DeliveryStats>;

export const getDeliveryStats = endpoint('GET', '/admin/delivery', { answer: DeliveryStats });
