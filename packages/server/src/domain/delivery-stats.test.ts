import { describe, expect, it } from 'vitest';
import { averageCompletionMs, completionMsPer1000, isStuck, stuckAfterMsPer1000 } from './delivery-stats.js';

const HOUR = 3_600_000;

describe('completionMsPer1000', () => {
  it('scales the time from placing to completion to 1000 units', () => {
    expect(completionMsPer1000({ createdAt: 0, completedAt: HOUR, quantity: 1000 })).toBe(BigInt(HOUR));
    expect(completionMsPer1000({ createdAt: 0, completedAt: HOUR, quantity: 500 })).toBe(BigInt(2 * HOUR));
    expect(completionMsPer1000({ createdAt: 0, completedAt: HOUR, quantity: 4000 })).toBe(BigInt(HOUR / 4));
  });

  it('rounds down, exactly, and never goes below zero', () => {
    expect(completionMsPer1000({ createdAt: 0, completedAt: 1, quantity: 3 })).toBe(333n);
    expect(completionMsPer1000({ createdAt: 10, completedAt: 5, quantity: 100 })).toBe(0n);
    // Far past 2^53 once multiplied by 1000: bigint keeps it exact.
    const long = 9_007_199_254_740;
    expect(completionMsPer1000({ createdAt: 0, completedAt: long, quantity: 7 })).toBe(
      (BigInt(long) * 1000n) / 7n,
    );
  });
});

describe('averageCompletionMs', () => {
  it('is unknown without a completed order', () => {
    expect(averageCompletionMs([])).toBeNull();
  });

  it('is the mean of the per-1000 times, rounded down', () => {
    const samples = [
      { createdAt: 0, completedAt: 1000, quantity: 1000 }, // 1000
      { createdAt: 0, completedAt: 1000, quantity: 500 }, // 2000
      { createdAt: 0, completedAt: 1000, quantity: 3000 }, // 333
    ];
    expect(averageCompletionMs(samples)).toBe(Math.floor((1000 + 2000 + 333) / 3));
  });

  it('takes only the 10 newest (the first ten given)', () => {
    const fast = Array.from({ length: 10 }, () => ({ createdAt: 0, completedAt: 60_000, quantity: 1000 }));
    const slow = { createdAt: 0, completedAt: 100 * HOUR, quantity: 1000 };
    expect(averageCompletionMs([...fast, slow])).toBe(60_000);
    expect(averageCompletionMs([slow, ...fast])).toBe(Math.floor((100 * HOUR + 9 * 60_000) / 10));
  });
});

describe('isStuck', () => {
  const average = HOUR; // per 1000

  it('is never stuck when the average is unknown', () => {
    expect(isStuck({ createdAt: 0, quantity: 1000 }, null, 1000 * HOUR)).toBe(false);
  });

  it('is stuck past three average times scaled to its quantity, not at it', () => {
    expect(isStuck({ createdAt: 0, quantity: 1000 }, average, 3 * HOUR)).toBe(false);
    expect(isStuck({ createdAt: 0, quantity: 1000 }, average, 3 * HOUR + 1)).toBe(true);
    // 2000 units may take twice as long.
    expect(isStuck({ createdAt: 0, quantity: 2000 }, average, 5 * HOUR)).toBe(false);
    expect(isStuck({ createdAt: 0, quantity: 2000 }, average, 6 * HOUR + 1)).toBe(true);
    expect(isStuck({ createdAt: 0, quantity: 100 }, average, 0.3 * HOUR + 1)).toBe(true);
  });

  it('agrees with the threshold the store filters on', () => {
    expect(stuckAfterMsPer1000(average)).toBe(BigInt(3 * HOUR));
  });
});
