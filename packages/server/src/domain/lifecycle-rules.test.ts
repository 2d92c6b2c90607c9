import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Failure } from './errors.js';
import {
  type CancelCandidate,
  type RefillCandidate,
  DAY_MS,
  cancelRefusal,
  refillRefusal,
} from './lifecycle-rules.js';
import { ORDER_STATUSES, SUBSCRIPTION_STATUSES } from './order-status.js';

const COMPLETED_AT = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A Completed order on a refill service (30 days), never refilled: refillable until the window ends. */
const candidate = (overrides: Partial<RefillCandidate> = {}): RefillCandidate => ({
  kind: 'order',
  status: 'completed',
  serviceRefill: true,
  refillDays: 30,
  completedAt: COMPLETED_AT,
  lastRefillAt: null,
  hasOpenRefill: false,
  ...overrides,
});

const code = (failure: Failure | null) => failure?.code ?? null;
const NOW = COMPLETED_AT + DAY_MS;

describe('refillRefusal', () => {
  it('allows a refill of a Completed or Partial order, of an ordinary order or a drip-feed', () => {
    for (const kind of ['order', 'dripfeed'] as const) {
      for (const status of ['completed', 'partial']) {
        expect(refillRefusal(candidate({ kind, status }), NOW), `${kind} ${status}`).toBeNull();
      }
    }
  });

  describe('the service', () => {
    it('without refill → REFILL_DISABLED', () => {
      expect(refillRefusal(candidate({ serviceRefill: false }), NOW)).toEqual({ code: 'REFILL_DISABLED' });
    });

    it('a subscription is never refilled, even on a refill service → REFILL_DISABLED', () => {
      for (const status of [...SUBSCRIPTION_STATUSES, 'partial']) {
        expect(refillRefusal(candidate({ kind: 'subscription', status }), NOW), status).toEqual({
          code: 'REFILL_DISABLED',
        });
      }
    });
  });

  describe('the order', () => {
    it.each(ORDER_STATUSES.filter((status) => status !== 'completed' && status !== 'partial'))(
      '%s → ORDER_NOT_COMPLETED',
      (status) => {
        expect(refillRefusal(candidate({ status }), NOW)).toEqual({ code: 'ORDER_NOT_COMPLETED' });
      },
    );

    it('Completed with no completion time → ORDER_NOT_COMPLETED', () => {
      for (const status of ['completed', 'partial']) {
        expect(refillRefusal(candidate({ status, completedAt: null }), NOW)).toEqual({
          code: 'ORDER_NOT_COMPLETED',
        });
      }
    });
  });

  describe('the refill window, counted from completion', () => {
    const end = COMPLETED_AT + 30 * DAY_MS;

    it('is open from completion to its last millisecond, inclusive', () => {
      for (const now of [COMPLETED_AT, COMPLETED_AT + 1, end - 1, end]) {
        expect(refillRefusal(candidate(), now), String(now - COMPLETED_AT)).toBeNull();
      }
    });

    it('one millisecond after → REFILL_DAYS_OVER', () => {
      expect(refillRefusal(candidate(), end + 1)).toEqual({ code: 'REFILL_DAYS_OVER' });
      expect(refillRefusal(candidate(), end + 365 * DAY_MS)).toEqual({ code: 'REFILL_DAYS_OVER' });
    });

    it('follows the service: 0 days is the moment of completion only', () => {
      expect(refillRefusal(candidate({ refillDays: 0 }), COMPLETED_AT)).toBeNull();
      expect(code(refillRefusal(candidate({ refillDays: 0 }), COMPLETED_AT + 1))).toBe('REFILL_DAYS_OVER');
      expect(refillRefusal(candidate({ refillDays: 7 }), COMPLETED_AT + 7 * DAY_MS)).toBeNull();
      expect(code(refillRefusal(candidate({ refillDays: 7 }), COMPLETED_AT + 7 * DAY_MS + 1))).toBe(
        'REFILL_DAYS_OVER',
      );
    });
  });

  describe('one open refill per order, one request per 24 hours', () => {
    it('an open refill → REFILL_TOO_SOON, however long ago it was asked', () => {
      const open = candidate({ hasOpenRefill: true, lastRefillAt: COMPLETED_AT });
      expect(refillRefusal(open, COMPLETED_AT + 20 * DAY_MS)).toEqual({ code: 'REFILL_TOO_SOON' });
    });

    it('the last request less than 24 hours ago → REFILL_TOO_SOON; exactly 24 hours → allowed', () => {
      const last = COMPLETED_AT + 2 * DAY_MS;
      const asked = candidate({ lastRefillAt: last });
      for (const now of [last, last + 1, last + DAY_MS - 1]) {
        expect(refillRefusal(asked, now), String(now - last)).toEqual({ code: 'REFILL_TOO_SOON' });
      }
      expect(refillRefusal(asked, last + DAY_MS)).toBeNull();
      expect(refillRefusal(asked, last + 3 * DAY_MS)).toBeNull();
    });
  });

  describe('checks in order: service, order, window, then open refill and 24 hours', () => {
    const allWrong = {
      serviceRefill: false,
      status: 'pending',
      completedAt: null,
      hasOpenRefill: true,
      lastRefillAt: NOW,
    } as const;

    it('the service first', () => {
      expect(code(refillRefusal(candidate(allWrong), NOW))).toBe('REFILL_DISABLED');
    });

    it('then the order', () => {
      expect(code(refillRefusal(candidate({ ...allWrong, serviceRefill: true }), NOW))).toBe(
        'ORDER_NOT_COMPLETED',
      );
    });

    it('then the window', () => {
      const over = COMPLETED_AT + 31 * DAY_MS;
      const stale = candidate({ hasOpenRefill: true, lastRefillAt: over });
      expect(code(refillRefusal(stale, over))).toBe('REFILL_DAYS_OVER');
    });

    it('then open refills and 24 hours', () => {
      expect(code(refillRefusal(candidate({ hasOpenRefill: true, lastRefillAt: NOW }), NOW))).toBe(
        'REFILL_TOO_SOON',
      );
    });
  });

  it('refuses with exactly the first rule broken, whatever the candidate', () => {
    const arbitrary = fc.record({
      kind: fc.constantFrom('order', 'dripfeed', 'subscription'),
      status: fc.constantFrom(...ORDER_STATUSES, ...SUBSCRIPTION_STATUSES),
      serviceRefill: fc.boolean(),
      refillDays: fc.integer({ min: 0, max: 365 }),
      completedAt: fc.option(fc.integer({ min: 0, max: 400 * DAY_MS })),
      lastRefillAt: fc.option(fc.integer({ min: 0, max: 400 * DAY_MS })),
      hasOpenRefill: fc.boolean(),
    });
    fc.assert(
      fc.property(arbitrary, fc.integer({ min: 0, max: 800 * DAY_MS }), (order, now) => {
        let expected: Failure['code'] | null = null;
        if (!order.serviceRefill || order.kind === 'subscription') expected = 'REFILL_DISABLED';
        else if (!['completed', 'partial'].includes(order.status) || order.completedAt === null)
          expected = 'ORDER_NOT_COMPLETED';
        else if (now - order.completedAt > order.refillDays * DAY_MS) expected = 'REFILL_DAYS_OVER';
        else if (order.hasOpenRefill || (order.lastRefillAt !== null && now - order.lastRefillAt < DAY_MS))
          expected = 'REFILL_TOO_SOON';
        expect(code(refillRefusal(order, now))).toBe(expected);
      }),
    );
  });
});

describe('cancelRefusal', () => {
  const cases: readonly (readonly [CancelCandidate['kind'], string, Failure['code'] | null])[] = [
    ['order', 'pending', null],
    ['order', 'in_progress', null],
    ['order', 'processing', null],
    ['order', 'completed', 'CANNOT_CANCEL'],
    ['order', 'partial', 'CANNOT_CANCEL'],
    ['order', 'canceled', 'CANNOT_CANCEL'],
    ['dripfeed', 'pending', null],
    ['dripfeed', 'in_progress', null],
    ['dripfeed', 'processing', null],
    ['dripfeed', 'completed', 'CANNOT_CANCEL'],
    ['dripfeed', 'partial', 'CANNOT_CANCEL'],
    ['dripfeed', 'canceled', 'CANNOT_CANCEL'],
    ['subscription', 'active', null],
    ['subscription', 'paused', null],
    ['subscription', 'completed', 'CANNOT_CANCEL'],
    ['subscription', 'expired', 'CANNOT_CANCEL'],
    ['subscription', 'canceled', 'CANNOT_CANCEL'],
  ];

  it('covers every status of each kind', () => {
    for (const kind of ['order', 'dripfeed'] as const) {
      expect(cases.filter(([k]) => k === kind).map(([, status]) => status)).toEqual([...ORDER_STATUSES]);
    }
    expect(cases.filter(([k]) => k === 'subscription').map(([, status]) => status)).toEqual([
      ...SUBSCRIPTION_STATUSES,
    ]);
  });

  it.each(cases)('%s %s on a cancel service → %s', (kind, status, expected) => {
    expect(cancelRefusal({ kind, status, serviceCancel: true })).toEqual(
      expected === null ? null : { code: expected },
    );
  });

  it.each(cases)('%s %s on a service without cancel → CANCEL_DISABLED, checked first', (kind, status) => {
    expect(cancelRefusal({ kind, status, serviceCancel: false })).toEqual({ code: 'CANCEL_DISABLED' });
  });
});
