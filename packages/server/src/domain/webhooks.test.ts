import { describe, expect, it } from 'vitest';
import {
  RETRY_DELAYS_MS,
  afterAttempt,
  crossesBelowThreshold,
  parseEventList,
  parseLowBalanceThreshold,
  readStoredEvents,
  shouldDisableEndpoint,
  storedEvents,
} from './webhooks.js';

const HOUR = 3_600_000;

describe('webhook events', () => {
  it('parses a list: known names, each once, in the table order', () => {
    expect(parseEventList(['refill.updated', 'order.updated', 'refill.updated'])).toEqual({
      ok: true,
      events: ['order.updated', 'refill.updated'],
    });
    expect(parseEventList([])).toMatchObject({ ok: false });
    expect(parseEventList(['order.deleted'])).toMatchObject({
      ok: false,
      reason: expect.stringContaining('order.deleted'),
    });
  });

  it('stores and reads back, refusing a corrupt value', () => {
    expect(readStoredEvents(storedEvents(['order.updated', 'refill.updated']))).toEqual([
      'order.updated',
      'refill.updated',
    ]);
    expect(() => readStoredEvents('order.updated bogus')).toThrow(/corrupt/);
  });
});

describe('afterAttempt', () => {
  const now = 1_000_000;
  it('a 2xx is delivered', () => {
    expect(afterAttempt(1, 200, now)).toEqual({ next: 'delivered' });
    expect(afterAttempt(8, 204, now)).toEqual({ next: 'delivered' });
  });

  it('anything else retries on the Standard Webhooks schedule, then fails', () => {
    expect(RETRY_DELAYS_MS).toEqual([5000, 300_000, 1_800_000, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
    expect(afterAttempt(1, 500, now)).toEqual({ next: 'retry', at: now + 5000 });
    expect(afterAttempt(2, null, now)).toEqual({ next: 'retry', at: now + 300_000 });
    expect(afterAttempt(3, 302, now)).toEqual({ next: 'retry', at: now + 1_800_000 });
    expect(afterAttempt(7, 404, now)).toEqual({ next: 'retry', at: now + 10 * HOUR });
    expect(afterAttempt(8, 500, now)).toEqual({ next: 'failed' });
    const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(24 * HOUR);
    expect(total).toBeLessThan(30 * HOUR);
  });
});

describe('shouldDisableEndpoint', () => {
  it('after a day of failures without a success', () => {
    expect(shouldDisableEndpoint(null, 99 * HOUR)).toBe(false);
    expect(shouldDisableEndpoint(0, 23 * HOUR)).toBe(false);
    expect(shouldDisableEndpoint(0, 24 * HOUR)).toBe(true);
  });
});

describe('balance.low', () => {
  it('fires on the step from at-or-above the threshold to below it, and on no other', () => {
    expect(crossesBelowThreshold(500n, 500n, 499n)).toBe(true);
    expect(crossesBelowThreshold(500n, 900n, 100n)).toBe(true);
    expect(crossesBelowThreshold(500n, 499n, 100n)).toBe(false); // already below: not again
    expect(crossesBelowThreshold(500n, 100n, 600n)).toBe(false); // back up: re-armed, no event
    expect(crossesBelowThreshold(500n, 600n, 500n)).toBe(false); // at the threshold is not below
    expect(crossesBelowThreshold(null, 900n, 0n)).toBe(false);
  });

  it('parses a threshold: a positive amount of at most 5 decimals, or none', () => {
    expect(parseLowBalanceThreshold('12.5')).toEqual({ ok: true, threshold: 1_250_000n });
    expect(parseLowBalanceThreshold(null)).toEqual({ ok: true, threshold: null });
    expect(parseLowBalanceThreshold(' ')).toEqual({ ok: true, threshold: null });
    for (const bad of ['0', '-1', '1.000001', 'ten', '1e3', '1000000.00001']) {
      expect(parseLowBalanceThreshold(bad), bad).toMatchObject({ ok: false });
    }
  });
});
