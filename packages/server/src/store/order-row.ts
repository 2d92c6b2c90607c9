import { type DispatchState, readDispatchState } from '../domain/dispatch.js';
import { type KindAndStatus, readKindAndStatus } from '../domain/order-status.js';
import { numberOrNull } from './column-values.js';

/**
 * An `orders` row: what the store modules that read whole orders (orders, order-listing,
 * order-sync, subscriptions) select and map. Store-internal: nothing above the store imports this
 * module; it gets `Order` records.
 */

/**
 * An order, a drip-feed parent or a subscription (one table holds all three; `kind` says which,
 * and the status is of that kind). Money in 10⁻⁵ units, times in epoch milliseconds.
 */
export type Order = OrderFields & KindAndStatus;

/** An ordinary order (a run, a post) or a drip-feed parent: the kinds whose statuses are order statuses. */
export type OrderOrDripfeed = Extract<Order, { readonly kind: 'order' | 'dripfeed' }>;
/** A subscription: its statuses are its own. */
export type SubscriptionOrder = Extract<Order, { readonly kind: 'subscription' }>;

export interface OrderFields {
  readonly id: number;
  readonly userId: number;
  readonly serviceId: number;
  /** The drip-feed or subscription this run or post belongs to. */
  readonly parentId: number | null;
  readonly link: string | null;
  /** Per run for a drip-feed parent (its total is quantity × runs). */
  readonly quantity: number;
  readonly runs: number | null;
  readonly intervalMinutes: number | null;
  /**
   * The type's parameters as `add` stored them (JSON): decoded by the domain
   * (`providerOrderParams`, `postingTermsOf`) and shown whole by `orderRecord`.
   */
  readonly details: string;
  readonly rate: bigint;
  readonly charge: bigint;
  readonly refunded: bigint;
  readonly startCount: number;
  readonly remains: number;
  /** The link while active on a service that forbids duplicate links (a unique index holds it). */
  readonly activeLink: string | null;
  readonly dispatchState: DispatchState;
  readonly providerId: number | null;
  readonly providerOrderId: string | null;
  readonly dispatchError: string | null;
  /** What the provider reported charging us, in its currency. */
  readonly providerCharge: bigint | null;
  readonly providerCurrency: string | null;
  /** That charge in the panel's currency, converted (rounded up) when it was recorded; null: not known. */
  readonly providerCost: bigint | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly completedAt: number | null;
}

export const ORDER_COLUMNS = `id, user_id, service_id, kind, parent_id, status, link, quantity, runs, interval_minutes,
  details, rate, charge, refunded, start_count, remains, active_link, dispatch_state, provider_id, provider_order_id,
  dispatch_error, provider_charge, provider_currency, provider_cost, created_at, updated_at, completed_at`;

/** ORDER_COLUMNS of the orders table aliased `alias` (for joins). */
export function orderColumnsOf(alias: string): string {
  return ORDER_COLUMNS.split(',')
    .map((column) => `${alias}.${column.trim()}`)
    .join(', ');
}

export interface OrderRow {
  id: bigint;
  user_id: bigint;
  service_id: bigint;
  kind: string;
  parent_id: bigint | null;
  status: string;
  link: string | null;
  quantity: bigint;
  runs: bigint | null;
  interval_minutes: bigint | null;
  details: string;
  rate: bigint;
  charge: bigint;
  refunded: bigint;
  start_count: bigint;
  remains: bigint;
  active_link: string | null;
  dispatch_state: string;
  provider_id: bigint | null;
  provider_order_id: string | null;
  dispatch_error: string | null;
  provider_charge: bigint | null;
  provider_currency: string | null;
  provider_cost: bigint | null;
  created_at: bigint;
  updated_at: bigint;
  completed_at: bigint | null;
}

export function toOrder(row: OrderRow): Order {
  // The kind and status assigned after the fields rather than spread among them: V8 builds an object
  // literal with a spread in it many times slower (see toOrderOverview).
  const fields: OrderFields = {
    id: Number(row.id),
    userId: Number(row.user_id),
    serviceId: Number(row.service_id),
    parentId: numberOrNull(row.parent_id),
    link: row.link,
    quantity: Number(row.quantity),
    runs: numberOrNull(row.runs),
    intervalMinutes: numberOrNull(row.interval_minutes),
    details: row.details,
    rate: row.rate,
    charge: row.charge,
    refunded: row.refunded,
    startCount: Number(row.start_count),
    remains: Number(row.remains),
    activeLink: row.active_link,
    dispatchState: readDispatchState(row.dispatch_state),
    providerId: numberOrNull(row.provider_id),
    providerOrderId: row.provider_order_id,
    dispatchError: row.dispatch_error,
    providerCharge: row.provider_charge,
    providerCurrency: row.provider_currency,
    providerCost: row.provider_cost,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    completedAt: numberOrNull(row.completed_at),
  };
  return Object.assign(fields, readKindAndStatus(row.kind, row.status));
}
