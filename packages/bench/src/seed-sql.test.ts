import { describe, expect, it } from 'vitest';
import { orderSpacingMs } from './seed-sql.js';

const DAY_MS = 86_400_000;

describe('orderSpacingMs', () => {
  it('spreads the seeded orders over about a year, whatever their number', () => {
    expect(orderSpacingMs(1_000_000)).toBe(31_536);
    expect(orderSpacingMs(10_000_000)).toBe(3_153);
    // Ten million a year: ~27,000 a day, what the dashboard's last 14 days read.
    expect(Math.round(DAY_MS / orderSpacingMs(10_000_000))).toBe(27_402);
    for (const orders of [1_000, 100_000, 1_000_000, 10_000_000]) {
      const span = (orders - 1) * orderSpacingMs(orders);
      expect(span).toBeLessThanOrEqual(365 * DAY_MS);
      expect(span).toBeGreaterThan(364 * DAY_MS);
    }
  });

  it('keeps orders at least 1 ms apart, and refuses a count that is not one', () => {
    expect(orderSpacingMs(100_000_000_000)).toBe(1);
    expect(() => orderSpacingMs(0)).toThrow(RangeError);
    expect(() => orderSpacingMs(1.5)).toThrow(RangeError);
  });
});
