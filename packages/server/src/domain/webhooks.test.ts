import { describe, expect, it } from 'vitest';
import {
  RETRY_DELAYS_MS,
  afterAttempt,
  parseEventList,
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
