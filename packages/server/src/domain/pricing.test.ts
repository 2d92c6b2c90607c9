import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { chargeForQuantity } from './money.js';
import type { OrderRequest, SubscriptionTerms } from './order-request.js';
import { effectiveRate, orderCharge, subscriptionReserve } from './pricing.js';
import { SERVICE_TYPES, SERVICE_TYPE_NAMES, type ServiceTypeName } from './service-types.js';

const request = (overrides: Partial<OrderRequest> = {}): OrderRequest => ({
  type: 'Default',
  link: 'https://example.com/p/1',
  quantity: 1000,
  runs: null,
  interval: null,
  details: {},
  subscription: null,
  ...overrides,
});

const terms = (overrides: Partial<SubscriptionTerms> = {}): SubscriptionTerms => ({
  username: 'target',
  min: 100,
  max: 200,
  posts: null,
  oldPosts: 0,
  delay: 30,
  expiry: null,
  ...overrides,
});

const PER_1000: ServiceTypeName[] = [
  'Default',
  'Custom Comments',
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
];
const FLAT: ServiceTypeName[] = ['Package', 'Custom Comments Package'];

describe('effectiveRate', () => {
  it('is the service rate when the user has no custom rate', () => {
    expect(effectiveRate(90_000n, null)).toBe(90_000n);
    expect(effectiveRate(90_000n, undefined)).toBe(90_000n);
  });

  it('is the custom rate when one is set, lower, higher or free', () => {
    expect(effectiveRate(90_000n, 50_000n)).toBe(50_000n);
    expect(effectiveRate(90_000n, 120_000n)).toBe(120_000n);
    expect(effectiveRate(90_000n, 0n)).toBe(0n);
  });
});

describe('orderCharge', () => {
  it('classifies all 16 types', () => {
    expect([...PER_1000, ...FLAT, 'Subscriptions'].sort()).toEqual([...SERVICE_TYPE_NAMES].sort());
  });

  it.each([
    [90_000n, 1000, 90_000n],
    [90_000n, 309, 27_810n],
    [90_030n, 309, 27_820n],
    [12_345n, 7, 87n],
    [1n, 1, 1n],
    [800_000n, 50, 40_000n],
    [0n, 1000, 0n],
  ])('per 1000: rate %s × quantity %s → %s, rounded up', (rate, quantity, charge) => {
    expect(orderCharge(rate, request({ quantity }))).toBe(charge);
  });

  it.each(PER_1000.map((type) => [type]))('%s is priced per 1000', (type) => {
    expect(SERVICE_TYPES[type].pricing).toBe('per1000');
    expect(orderCharge(90_000n, request({ type, quantity: 2500 }))).toBe(225_000n);
    expect(orderCharge(1n, request({ type, quantity: 3 }))).toBe(1n);
  });

  it('charges every run of a drip-feed up front', () => {
    expect(orderCharge(90_000n, request({ quantity: 100, runs: 5, interval: 10 }))).toBe(45_000n);
    expect(orderCharge(90_000n, request({ quantity: 1000, runs: 10, interval: 60 }))).toBe(900_000n);
  });

  it('rounds the drip-feed total once, not each run', () => {
    // 1 × 100 × 5 / 1000 = 0.5 units → 1, where 5 runs rounded separately would be 5.
    expect(orderCharge(1n, request({ quantity: 100, runs: 5, interval: 10 }))).toBe(1n);
  });

  it('a drip-feed costs the same as one order of runs × quantity', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 2, max: 10_000 }),
        (rate, quantity, runs) => {
          const dripfeed = orderCharge(rate, request({ quantity, runs, interval: 10 }));
          expect(dripfeed).toBe(orderCharge(rate, request({ quantity: quantity * runs })));
          expect(dripfeed).toBe(chargeForQuantity(rate, quantity * runs));
        },
      ),
    );
  });

  it.each(FLAT.map((type) => [type]))('%s costs its rate, whatever the quantity', (type) => {
    expect(SERVICE_TYPES[type].pricing).toBe('flat');
    expect(orderCharge(500_000n, request({ type, quantity: 1 }))).toBe(500_000n);
    expect(orderCharge(500_000n, request({ type, quantity: 7 }))).toBe(500_000n);
    expect(orderCharge(500_000n, request({ type, quantity: 10_000 }))).toBe(500_000n);
  });

  it('a subscription costs nothing at placing: each child is charged', () => {
    const subscription = request({ type: 'Subscriptions', link: null, quantity: 0, subscription: terms() });
    expect(orderCharge(90_000n, subscription)).toBe(0n);
    expect(orderCharge(10n ** 15n, subscription)).toBe(0n);
  });
});

describe('subscriptionReserve', () => {
  it('is the charge of one child at max', () => {
    const subscription = request({
      type: 'Subscriptions',
      link: null,
      quantity: 0,
      subscription: terms({ max: 200 }),
    });
    expect(subscriptionReserve(90_000n, subscription)).toBe(18_000n);
  });

  it('rounds up like any charge', () => {
    const subscription = request({
      type: 'Subscriptions',
      quantity: 0,
      subscription: terms({ min: 1, max: 1 }),
    });
    expect(subscriptionReserve(1n, subscription)).toBe(1n);
    const odd = request({ type: 'Subscriptions', quantity: 0, subscription: terms({ max: 333 }) });
    expect(subscriptionReserve(12_345n, odd)).toBe(4_111n);
  });

  it('is 0 for an order that is not a subscription', () => {
    expect(subscriptionReserve(90_000n, request({ quantity: 1000 }))).toBe(0n);
  });

  it('equals chargeForQuantity at max', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }),
        fc.integer({ min: 1, max: 10 ** 9 }),
        (rate, max) => {
          const subscription = request({
            type: 'Subscriptions',
            quantity: 0,
            subscription: terms({ min: 1, max }),
          });
          expect(subscriptionReserve(rate, subscription)).toBe(chargeForQuantity(rate, max));
        },
      ),
    );
  });
});
