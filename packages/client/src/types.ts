/**
 * Answer types of API v2, field for field as on the wire. Values the contract sends as strings
 * (money, rates, counts) stay strings so no precision is lost; convert them where you compute.
 */

/**
 * The known values plus any other string: panels other than smmkit send values outside the
 * contract, and a type that pretended otherwise would lie. Editors still suggest the known ones.
 */
export type OpenString<Known extends string> = Known | (string & {});

/** The 16 service types, spelled as `services` reports them and as `add` expects them. */
export const SERVICE_TYPES = [
  'Default',
  'Package',
  'Custom Comments',
  'Custom Comments Package',
  'Mentions',
  'Mentions with Hashtags',
  'Mentions Custom List',
  'Mentions Hashtag',
  'Mentions User Followers',
  'Mentions Media Likers',
  'Comment Likes',
  'Comment Replies',
  'Poll',
  'Invites from Groups',
  'SEO',
  'Subscriptions',
] as const;

export type ServiceType = (typeof SERVICE_TYPES)[number];

export interface Service {
  service: number;
  name: string;
  type: OpenString<ServiceType>;
  category: string;
  /** Price per 1000 units for this key's user, e.g. `"0.90"`. */
  rate: string;
  min: string;
  max: string;
  refill: boolean;
  cancel: boolean;
  /** Absent on panels that predate drip-feed (the original API page does not show it). */
  dripfeed?: boolean;
  /** Absent on panels that do not publish descriptions. */
  desc?: string;
}

export interface AddOrderResult {
  order: number;
}

export type OrderStatusName = 'Pending' | 'In progress' | 'Processing' | 'Completed' | 'Partial' | 'Canceled';

export interface OrderStatus {
  /** What the order costs now: the charge at placing less refunds, e.g. `"0.27819"`. */
  charge: string;
  start_count: string;
  status: OpenString<OrderStatusName>;
  remains: string;
  currency: string;
}

/** Status of a drip-feed parent order. */
export interface DripFeedOrderStatus extends OrderStatus {
  /** Total number of runs. */
  runs: string;
  /** Child order ids created so far. */
  orders: number[];
}

export type SubscriptionStatusName = 'Active' | 'Paused' | 'Completed' | 'Expired' | 'Canceled';

/** Status of an order placed on a `Subscriptions` service. */
export interface SubscriptionStatus {
  status: OpenString<SubscriptionStatusName>;
  /** `d/m/Y`, or null when the subscription does not expire. */
  expiry: string | null;
  /** Number of posts processed. */
  posts: string;
  /** Child order ids, one per processed post. */
  orders: number[];
  /** Sum of the child orders' charges. */
  charge: string;
  currency: string;
}

/** What `status` answers for one order: its shape depends on the kind of order. */
export type AnyOrderStatus = OrderStatus | DripFeedOrderStatus | SubscriptionStatus;

/** A per-id failure inside a multi-id answer, e.g. `{"error": "Incorrect order ID"}`. */
export interface ItemError {
  error: string;
}

/** `status` with several ids: keyed by each requested id as the panel wrote it. */
export type OrderStatuses = Record<string, AnyOrderStatus | ItemError>;

export interface RefillResult {
  /** The refill id; a string on the wire (`{"refill": "1"}`), unlike in the multi answer. */
  refill: string;
}

export interface RefillItem {
  order: number;
  /** The refill id, or why this order could not be refilled. */
  refill: number | ItemError;
}

export type RefillStatusName = 'Pending' | 'In progress' | 'Completed' | 'Rejected';

export interface RefillStatusResult {
  status: OpenString<RefillStatusName>;
}

export interface RefillStatusItem {
  refill: number;
  status: OpenString<RefillStatusName> | ItemError;
}

export interface CancelItem {
  order: number;
  /** `1`: the cancel request was accepted (the order may be canceled later, see the README). */
  cancel: number | ItemError;
}

export interface Balance {
  /** Exactly 5 decimals on a conforming panel, e.g. `"100.84292"`. */
  balance: string;
  currency: string;
}
