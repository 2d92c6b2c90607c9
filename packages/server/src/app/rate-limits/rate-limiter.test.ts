import { describe, expect, it } from 'vitest';
import { RateLimiter, WINDOW_MS } from './rate-limiter.js';

class ManualClock {
  constructor(public ms = Date.UTC(2026, 10, 27, 12, 0, 0)) {}
  now(): number {
    return this.ms;
  }
}

const limiter = (clock: ManualClock, defaultPerMinute: number) =>
  new RateLimiter({ clock, defaultPerMinute, shared: null });

describe('rate limiter (one process)', () => {
  it('admits up to the limit per subject (a user) and window, then answers the seconds left in the window', () => {
    const clock = new ManualClock();
    const limits = limiter(clock, 3);
    expect([1, 2, 3].map(() => limits.admit(7, null))).toEqual([0, 0, 0]);
    expect(limits.admit(7, null)).toBe(60);
    clock.ms += 45_500;
    expect(limits.admit(7, null)).toBe(15);
    clock.ms += 14_000;
    expect(limits.admit(7, null)).toBe(1);
    // Another key has its own count.
    expect(limits.admit(8, null)).toBe(0);
  });

  it('starts counting afresh in the next window, and refused requests do not count', () => {
    const clock = new ManualClock();
    const limits = limiter(clock, 2);
    expect(limits.admit(1, null)).toBe(0);
    expect(limits.admit(1, null)).toBe(0);
    for (let i = 0; i < 10; i++) expect(limits.admit(1, null)).toBeGreaterThan(0);
    clock.ms += WINDOW_MS;
    expect(limits.admit(1, null)).toBe(0);
    expect(limits.admit(1, null)).toBe(0);
    expect(limits.admit(1, null)).toBe(60);
  });

  it("uses the user's own limit over the default; 0 means none, on either side", () => {
    const clock = new ManualClock();
    const limits = limiter(clock, 2);
    for (let i = 0; i < 5; i++) expect(limits.admit(1, 5)).toBe(0);
    expect(limits.admit(1, 5)).toBeGreaterThan(0);
    for (let i = 0; i < 1000; i++) expect(limits.admit(2, 0)).toBe(0);
    const off = limiter(clock, 0);
    for (let i = 0; i < 1000; i++) expect(off.admit(3, null)).toBe(0);
    expect(off.admit(4, 1)).toBe(0);
    expect(off.admit(4, 1)).toBeGreaterThan(0);
    expect(limits.limitFor(null)).toBe(2);
    expect(limits.limitFor(0)).toBe(0);
  });

  it('windows are aligned to the minute, so a window entered late is short', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 50));
    const limits = limiter(clock, 1);
    expect(limits.admit(1, null)).toBe(0);
    expect(limits.admit(1, null)).toBe(10);
    clock.ms = Date.UTC(2026, 10, 27, 12, 1, 0);
    expect(limits.admit(1, null)).toBe(0);
  });
});
