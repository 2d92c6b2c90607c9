import { type Static, Type } from 'typebox';
import { Id, IsoTime, Json, Money, Nullable, StringEnum } from './primitives.js';
import { ORDER_KINDS } from './request-params.js';

/** What the provider charged the panel for an order, in the provider's currency. */
export const ProviderCost = Type.Object(
  { amount: Money, currency: Nullable(Type.String()) },
  { title: 'ProviderCost' },
);
export type ProviderCost = Static<typeof ProviderCost>;

/**
 * An order as stored, fields in the order they are sent: its money (charge, refunded, the
 * provider's cost and the margin), its forwarding (dispatch state, provider, the provider's order
 * id, the last provider error) and its times.
 */
export const orderFields = {
  id: Id,
  userId: Id,
  serviceId: Id,
  kind: StringEnum(ORDER_KINDS),
  /** The drip-feed parent or subscription of a run or post. */
  parentId: Nullable(Id),
  /** A label: "In progress", "Partial"…; a subscription's: "Active", "Paused"… */
  status: Type.String(),
  link: Nullable(Type.String()),
  quantity: Type.Integer(),
  runs: Nullable(Type.Integer()),
  /** Minutes between drip-feed runs. */
  interval: Nullable(Type.Integer()),
  /** The order's type parameters (comments, usernames, subscription terms…), as stored. */
  details: Json,
  rate: Money,
  charge: Money,
  refunded: Money,
  startCount: Type.Integer(),
  remains: Type.Integer(),
  dispatch: Type.String(),
  providerId: Nullable(Id),
  providerOrderId: Nullable(Type.String()),
  dispatchError: Nullable(Type.String()),
  providerCost: Nullable(ProviderCost),
  /** The provider's charge in the panel's currency, converted when it was recorded. */
  cost: Nullable(Money),
  profit: Nullable(Money),
  createdAt: Nullable(IsoTime),
  updatedAt: Nullable(IsoTime),
  completedAt: Nullable(IsoTime),
};

/** An order as the owner sees it; in a list, a drip-feed run or subscription post (`charge`: less refunds). */
export const OrderRecord = Type.Object(orderFields, { title: 'OrderRecord' });
export type OrderRecord = Static<typeof OrderRecord>;

/**
 * What a customer sees of an order: never how or where the panel fulfils it (dispatch state,
 * provider, the provider's order id and error) nor what it costs the panel (provider cost, profit).
 */
const {
  dispatch: _dispatch,
  providerId: _providerId,
  providerOrderId: _providerOrderId,
  dispatchError: _dispatchError,
  providerCost: _providerCost,
  cost: _cost,
  profit: _profit,
  ...customerOrderFields
} = orderFields;
export { customerOrderFields };

/** A drip-feed run or subscription post in the customer's lists. */
export const CustomerOrderRecord = Type.Object(customerOrderFields, { title: 'CustomerOrderRecord' });
export type CustomerOrderRecord = Static<typeof CustomerOrderRecord>;

/** What a listed order adds to its record, in the order the fields are sent. */
export const listedOrderFields = {
  username: Type.String(),
  serviceName: Type.String(),
  serviceType: Type.String(),
  /** Whether `refill` and `cancel` would be accepted now. */
  canRefill: Type.Boolean(),
  canCancel: Type.Boolean(),
};
