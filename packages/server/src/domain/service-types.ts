import { SERVICE_TYPES as WIRE_SERVICE_TYPES } from '@smmkit/client';

/**
 * The 16 service types of API v2: the parameter set each `add` takes, how its quantity is derived
 * and how it is priced. `services` reports each service's `type` by these exact names.
 */
// The names are the wire contract's, so they come from the API v2 client package: one list for both.
export const SERVICE_TYPE_NAMES = WIRE_SERVICE_TYPES;

export type ServiceTypeName = (typeof SERVICE_TYPE_NAMES)[number];

/** Parameters an `add` may carry, beyond `service`. */
export type OrderParamName =
  | 'link'
  | 'quantity'
  | 'comments'
  | 'usernames'
  | 'hashtags'
  | 'hashtag'
  | 'username'
  | 'media'
  | 'answer_number'
  | 'groups'
  | 'keywords'
  | 'min'
  | 'max'
  | 'posts'
  | 'old_posts'
  | 'delay'
  | 'expiry';

/** Where an order's quantity comes from. */
export type QuantitySource =
  | { from: 'param' }
  | { from: 'lines'; param: 'comments' | 'usernames' }
  | { from: 'fixed'; quantity: number }
  | { from: 'subscription' };

/** per1000: rate × quantity / 1000; flat: the rate is the price; perChild: each child order is charged. */
export type Pricing = 'per1000' | 'flat' | 'perChild';

export interface ServiceTypeSpec {
  readonly name: ServiceTypeName;
  /** Required parameters, in the order they are validated (which decides the error a client sees first). */
  readonly required: readonly OrderParamName[];
  readonly optional: readonly OrderParamName[];
  readonly quantity: QuantitySource;
  readonly pricing: Pricing;
  /** Only types whose parameter set includes `runs` and `interval` can be drip-fed. */
  readonly dripfeedCapable: boolean;
}

const spec = (
  name: ServiceTypeName,
  required: OrderParamName[],
  quantity: QuantitySource,
  pricing: Pricing = 'per1000',
  extra: { optional?: OrderParamName[]; dripfeedCapable?: boolean } = {},
): ServiceTypeSpec => ({
  name,
  required,
  optional: extra.optional ?? [],
  quantity,
  pricing,
  dripfeedCapable: extra.dripfeedCapable ?? false,
});

const given: QuantitySource = { from: 'param' };

export const SERVICE_TYPES: Readonly<Record<ServiceTypeName, ServiceTypeSpec>> = {
  Default: spec('Default', ['link', 'quantity'], given, 'per1000', { dripfeedCapable: true }),
  Package: spec('Package', ['link'], { from: 'fixed', quantity: 1 }, 'flat'),
  'Custom Comments': spec('Custom Comments', ['link', 'comments'], { from: 'lines', param: 'comments' }),
  'Custom Comments Package': spec(
    'Custom Comments Package',
    ['link', 'comments'],
    { from: 'lines', param: 'comments' },
    'flat',
  ),
  Mentions: spec('Mentions', ['link', 'quantity', 'usernames'], given),
  'Mentions with Hashtags': spec(
    'Mentions with Hashtags',
    ['link', 'quantity', 'usernames', 'hashtags'],
    given,
  ),
  'Mentions Custom List': spec('Mentions Custom List', ['link', 'usernames'], {
    from: 'lines',
    param: 'usernames',
  }),
  'Mentions Hashtag': spec('Mentions Hashtag', ['link', 'quantity', 'hashtag'], given),
  'Mentions User Followers': spec('Mentions User Followers', ['link', 'quantity', 'username'], given),
  'Mentions Media Likers': spec('Mentions Media Likers', ['link', 'quantity', 'media'], given),
  'Comment Likes': spec('Comment Likes', ['link', 'quantity', 'username'], given),
  'Comment Replies': spec('Comment Replies', ['link', 'username', 'comments'], {
    from: 'lines',
    param: 'comments',
  }),
  Poll: spec('Poll', ['link', 'quantity', 'answer_number'], given),
  'Invites from Groups': spec('Invites from Groups', ['link', 'quantity', 'groups'], given),
  SEO: spec('SEO', ['link', 'quantity', 'keywords'], given),
  Subscriptions: spec(
    'Subscriptions',
    ['username', 'min', 'max', 'delay'],
    { from: 'subscription' },
    'perChild',
    { optional: ['posts', 'old_posts', 'expiry'] },
  ),
};

export function isServiceTypeName(value: string): value is ServiceTypeName {
  return (SERVICE_TYPE_NAMES as readonly string[]).includes(value);
}

/**
 * A stored service's type, where it must be one this version knows: to validate an order or
 * describe its form. Anything else is a fault there; the `services` answer passes any type on.
 */
export function readServiceTypeName(stored: string): ServiceTypeName {
  if (isServiceTypeName(stored)) return stored;
  throw new Error(`stored service type ${JSON.stringify(stored)} is not one this version knows`);
}

/** Subscription delays (minutes) that API v2 accepts. */
export const SUBSCRIPTION_DELAYS: readonly number[] = [
  0, 5, 10, 15, 20, 30, 40, 50, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600,
];
