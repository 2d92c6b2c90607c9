import { describe, expect, it } from 'vitest';
import { type BatchItem, packBatchItems, unpackBatchItems } from './order-batch.js';

/**
 * An item whose fields all differ from one another (not what a real order holds: its active link is its
 * link, its offer's provider its own), so that a value packed into another's place shows.
 */
const full: BatchItem = {
  order: {
    userId: 11,
    serviceId: 12,
    link: 'https://example.com/p/ünïcode?x=1',
    quantity: 13,
    details: '{"comments":["a","b"]}',
    rate: 1_400_000n,
    charge: 18_200n,
    remains: 15,
    activeLink: 'https://example.com/p/ünïcode',
    providerId: 16,
    providerServiceId: 'p-17',
    dispatchState: 'queued',
  },
  caller: { keyId: 18, userId: 41, rateLimitPerMinute: 19 },
  offer: {
    id: 52,
    type: 'Custom Comments',
    rate: 1_500_000n,
    customRate: 1_300_000n,
    minQuantity: 20,
    maxQuantity: 21,
    dripfeed: true,
    allowDuplicateLinks: false,
    oldPosts: false,
    providerId: 26,
    providerServiceId: 'p-27',
  },
};

/** An item with nothing cached, no active link, no provider, and every nullable value null. */
const bare: BatchItem = {
  order: {
    userId: 21,
    serviceId: 22,
    link: null,
    quantity: 1,
    details: '',
    rate: 0n,
    charge: 0n,
    remains: 1,
    activeLink: null,
    providerId: null,
    providerServiceId: null,
    dispatchState: 'manual',
  },
  caller: null,
  offer: null,
};

/**
 * A cached caller with no rate limit, a cached offer without a custom rate or provider (its flags differ
 * where `full`'s agree: between the two, every pair of flags differs somewhere).
 */
const nulls: BatchItem = {
  order: { ...bare.order, userId: 31 },
  caller: { keyId: 32, userId: 31, rateLimitPerMinute: null },
  offer: {
    id: 22,
    type: 'Default',
    rate: 0n,
    customRate: null,
    minQuantity: 1,
    maxQuantity: 1,
    dripfeed: false,
    allowDuplicateLinks: true,
    oldPosts: false,
    providerId: null,
    providerServiceId: null,
  },
};

describe('a batch packed for the write thread', () => {
  it('unpacks to the items it was packed from, in order, through a structured clone', () => {
    const items = [full, bare, nulls, full];
    const crossed = structuredClone(packBatchItems(items));
    expect(unpackBatchItems(crossed)).toStrictEqual(items);
  });

  it('packs primitives only (no object crosses), a fixed number an item', () => {
    const packed = packBatchItems([full, bare, nulls]);
    expect(packed.every((value) => value === null || typeof value !== 'object')).toBe(true);
    expect(packed.length % 3).toBe(0);
    expect(packBatchItems([full])).toHaveLength(packed.length / 3);
  });

  it('an order without its optional provider fields packs as what the insert writes for them', () => {
    const { providerId, providerServiceId, dispatchState, ...rest } = bare.order;
    expect([providerId, providerServiceId, dispatchState]).toEqual([null, null, 'manual']);
    const [item] = unpackBatchItems(packBatchItems([{ ...bare, order: rest }]));
    expect(item).toStrictEqual(bare);
  });

  it('an empty batch packs to nothing, and a packed batch cut short is refused', () => {
    expect(unpackBatchItems(packBatchItems([]))).toEqual([]);
    const packed = packBatchItems([full, bare]);
    expect(() => unpackBatchItems(packed.slice(0, -1))).toThrow(/not whole items/);
  });
});
