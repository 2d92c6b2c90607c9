import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  type PostingTerms,
  expiryStartMs,
  isOpenSubscription,
  postAllowance,
  postingTermsOf,
  randomPostQuantity,
  statusAfterPosting,
  takesMorePosts,
} from './subscriptions.js';

const terms = (overrides: Partial<PostingTerms> = {}): PostingTerms => ({
  username: 'someone',
  min: 100,
  max: 200,
  posts: null,
  oldPosts: 0,
  ...overrides,
});

describe('postingTermsOf', () => {
  it('reads the details placeOrder stores (API names and camelCase terms side by side)', () => {
    const details = JSON.stringify({
      username: 'someone',
      min: 100,
      max: 999,
      delay: 30,
      posts: 10,
      old_posts: 2,
      expiry: '2026-12-31',
      oldPosts: 2,
    });
    expect(postingTermsOf(details)).toEqual({
      username: 'someone',
      min: 100,
      max: 999,
      posts: 10,
      oldPosts: 2,
    });
  });

  it('reads absent posts as unlimited and absent old posts as none', () => {
    const details = JSON.stringify({ username: 'u', min: 1, max: 2, posts: null, oldPosts: 0, expiry: null });
    expect(postingTermsOf(details)).toEqual({ username: 'u', min: 1, max: 2, posts: null, oldPosts: 0 });
  });

  it('refuses details that are not a subscription', () => {
    expect(() => postingTermsOf('{}')).toThrow(/min\/max/);
    expect(() => postingTermsOf(JSON.stringify({ min: 5, max: 2, username: 'u' }))).toThrow(/min\/max/);
    expect(() => postingTermsOf(JSON.stringify({ min: 1, max: 2 }))).toThrow(/username/);
  });
});

describe('expiryStartMs', () => {
  it('is the start of the day, UTC', () => {
    expect(expiryStartMs('2026-11-28')).toBe(Date.UTC(2026, 10, 28));
    expect(expiryStartMs('2028-02-29')).toBe(Date.UTC(2028, 1, 29));
  });

  it('refuses what is not a date', () => {
    expect(() => expiryStartMs('28/11/2026')).toThrow(RangeError);
  });
});

describe('randomPostQuantity', () => {
  it('maps the ends of [0, 1) to min and max', () => {
    expect(randomPostQuantity({ min: 100, max: 200 }, () => 0)).toBe(100);
    expect(randomPostQuantity({ min: 100, max: 200 }, () => 0.999999999)).toBe(200);
    expect(randomPostQuantity({ min: 100, max: 200 }, () => 0.5)).toBe(150);
    expect(randomPostQuantity({ min: 7, max: 7 }, () => 0.7)).toBe(7);
  });

  it('stays within min..max whatever the source gives, even out of range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: -1, max: 2, noNaN: true }),
        (min, span, value) => {
          const quantity = randomPostQuantity({ min, max: min + span }, () => value);
          expect(Number.isSafeInteger(quantity)).toBe(true);
          expect(quantity).toBeGreaterThanOrEqual(min);
          expect(quantity).toBeLessThanOrEqual(min + span);
        },
      ),
    );
  });

  it('reaches every value of a small range', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10; i++) seen.add(randomPostQuantity({ min: 1, max: 10 }, () => i / 10));
    expect([...seen].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('post allowance', () => {
  it('is old posts plus the posts limit, or unlimited', () => {
    expect(postAllowance(terms({ posts: 10, oldPosts: 2 }))).toBe(12);
    expect(postAllowance(terms({ posts: 3 }))).toBe(3);
    expect(postAllowance(terms({ posts: null, oldPosts: 5 }))).toBeNull();
  });

  it('takes more posts until every allowed one is created or waiting', () => {
    const limited = terms({ posts: 2, oldPosts: 1 });
    expect(takesMorePosts(limited, { created: 0, unpaid: 1 })).toBe(true);
    expect(takesMorePosts(limited, { created: 1, unpaid: 1 })).toBe(true);
    expect(takesMorePosts(limited, { created: 2, unpaid: 1 })).toBe(false);
    expect(takesMorePosts(limited, { created: 3, unpaid: 0 })).toBe(false);
    expect(takesMorePosts(terms(), { created: 1_000_000, unpaid: 5 })).toBe(true);
  });
});

describe('statusAfterPosting', () => {
  it('completes once every allowed post has its child, whatever the status was', () => {
    const limited = terms({ posts: 2, oldPosts: 1 });
    expect(statusAfterPosting('active', limited, { created: 3, unpaid: 0 }, false)).toBe('completed');
    expect(statusAfterPosting('paused', limited, { created: 3, unpaid: 0 }, false)).toBe('completed');
    expect(statusAfterPosting('active', limited, { created: 2, unpaid: 0 }, false)).toBe('active');
  });

  it('pauses when a post could not be paid, and stays paused', () => {
    expect(statusAfterPosting('active', terms(), { created: 1, unpaid: 1 }, true)).toBe('paused');
    expect(statusAfterPosting('paused', terms(), { created: 1, unpaid: 2 }, true)).toBe('paused');
  });

  it('resumes once no post waits, and keeps its status while some still do', () => {
    expect(statusAfterPosting('paused', terms(), { created: 2, unpaid: 0 }, false)).toBe('active');
    expect(statusAfterPosting('paused', terms(), { created: 2, unpaid: 1 }, false)).toBe('paused');
    // Old posts waiting for the dispatcher are not a reason to pause.
    expect(statusAfterPosting('active', terms(), { created: 0, unpaid: 3 }, false)).toBe('active');
  });

  it('only answers open statuses or completed', () => {
    expect(isOpenSubscription('active')).toBe(true);
    expect(isOpenSubscription('paused')).toBe(true);
    for (const status of ['completed', 'expired', 'canceled'] as const)
      expect(isOpenSubscription(status)).toBe(false);
  });
});
