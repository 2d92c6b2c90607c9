import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  FINAL_ORDER_STATUSES,
  FINAL_SUBSCRIPTION_STATUSES,
  OPEN_ORDER_STATUSES,
  OPEN_REFILL_STATUSES,
  OPEN_SUBSCRIPTION_STATUSES,
  ORDER_STATUSES,
  REFILLABLE_ORDER_STATUSES,
  REFILL_STATUSES,
  type OrderStatus,
  SUBSCRIPTION_STATUSES,
  type SubscriptionStatus,
  canTransition,
  canTransitionSubscription,
  isFinalOrderStatus,
  isFinalSubscriptionStatus,
  orderStatusLabel,
  parseOrderStatus,
  readKindAndStatus,
  readOrderStatus,
  readRefillStatus,
  readSubscriptionStatus,
  subscriptionStatusLabel,
} from './order-status.js';

/** The order state machine, written out in full: from → the statuses it may move to. */
const ORDER_TABLE: Record<OrderStatus, OrderStatus[]> = {
  pending: ['pending', 'in_progress', 'processing', 'completed', 'partial', 'canceled'],
  in_progress: ['in_progress', 'processing', 'completed', 'partial', 'canceled'],
  processing: ['in_progress', 'processing', 'completed', 'partial', 'canceled'],
  completed: [],
  partial: [],
  canceled: [],
};

const SUBSCRIPTION_TABLE: Record<SubscriptionStatus, SubscriptionStatus[]> = {
  active: ['paused', 'completed', 'expired', 'canceled'],
  paused: ['active', 'completed', 'expired', 'canceled'],
  completed: [],
  expired: [],
  canceled: [],
};

const pairs = <S extends string>(statuses: readonly S[]): [S, S][] =>
  statuses.flatMap((from) => statuses.map((to): [S, S] => [from, to]));

describe('order statuses', () => {
  it('are the six statuses of API v2', () => {
    expect(ORDER_STATUSES).toEqual([
      'pending',
      'in_progress',
      'processing',
      'completed',
      'partial',
      'canceled',
    ]);
  });

  it.each(pairs(ORDER_STATUSES).filter(([from, to]) => ORDER_TABLE[from].includes(to)))(
    'allows %s → %s',
    (from, to) => {
      expect(canTransition(from, to)).toBe(true);
    },
  );

  it.each(pairs(ORDER_STATUSES).filter(([from, to]) => !ORDER_TABLE[from].includes(to)))(
    'forbids %s → %s',
    (from, to) => {
      expect(canTransition(from, to)).toBe(false);
    },
  );

  it('never goes back to pending once started', () => {
    expect(canTransition('in_progress', 'pending')).toBe(false);
    expect(canTransition('processing', 'pending')).toBe(false);
  });

  it('final statuses are exactly Completed, Partial and Canceled, and lead nowhere', () => {
    expect(ORDER_STATUSES.filter(isFinalOrderStatus)).toEqual(['completed', 'partial', 'canceled']);
    for (const from of ['completed', 'partial', 'canceled'] as const) {
      for (const to of ORDER_STATUSES) expect(canTransition(from, to)).toBe(false);
    }
  });

  it('every non-final status can reach every final status', () => {
    for (const from of ORDER_STATUSES.filter((s) => !isFinalOrderStatus(s))) {
      for (const to of ['completed', 'partial', 'canceled'] as const)
        expect(canTransition(from, to)).toBe(true);
    }
  });
});

describe('subscription statuses', () => {
  it('are the five statuses of API v2', () => {
    expect(SUBSCRIPTION_STATUSES).toEqual(['active', 'paused', 'completed', 'expired', 'canceled']);
  });

  it.each(pairs(SUBSCRIPTION_STATUSES).filter(([from, to]) => SUBSCRIPTION_TABLE[from].includes(to)))(
    'allows %s → %s',
    (from, to) => {
      expect(canTransitionSubscription(from, to)).toBe(true);
    },
  );

  it.each(pairs(SUBSCRIPTION_STATUSES).filter(([from, to]) => !SUBSCRIPTION_TABLE[from].includes(to)))(
    'forbids %s → %s',
    (from, to) => {
      expect(canTransitionSubscription(from, to)).toBe(false);
    },
  );
});

describe('labels', () => {
  it.each([
    ['pending', 'Pending'],
    ['in_progress', 'In progress'],
    ['processing', 'Processing'],
    ['completed', 'Completed'],
    ['partial', 'Partial'],
    ['canceled', 'Canceled'],
  ] as [OrderStatus, string][])('order status %s is shown as %j', (status, label) => {
    expect(orderStatusLabel(status)).toBe(label);
  });

  it.each([
    ['active', 'Active'],
    ['paused', 'Paused'],
    ['completed', 'Completed'],
    ['expired', 'Expired'],
    ['canceled', 'Canceled'],
  ] as [SubscriptionStatus, string][])('subscription status %s is shown as %j', (status, label) => {
    expect(subscriptionStatusLabel(status)).toBe(label);
  });
});

describe('parseOrderStatus', () => {
  it.each([
    ['In progress', 'in_progress'],
    ['in_progress', 'in_progress'],
    ['IN PROGRESS', 'in_progress'],
    ['in-progress', 'in_progress'],
    ['In  progress', 'in_progress'],
    ['COMPLETED', 'completed'],
    ['Completed', 'completed'],
    ['canceled', 'canceled'],
    ['Canceled', 'canceled'],
    ['  Partial  ', 'partial'],
    ['Pending', 'pending'],
    ['processing', 'processing'],
  ])('%j → %s', (text, status) => {
    expect(parseOrderStatus(text)).toBe(status);
  });

  it.each([
    [''],
    ['   '],
    ['junk'],
    ['done'],
    ['cancelled'],
    ['Refunded'],
    ['in__progress'],
    ['inprogress'],
    ['_completed'],
    ['completed!'],
    ['active'],
    ['0'],
  ])('%j → null', (text) => {
    expect(parseOrderStatus(text)).toBeNull();
  });

  it('reads back every label and every code', () => {
    for (const status of ORDER_STATUSES) {
      expect(parseOrderStatus(orderStatusLabel(status))).toBe(status);
      expect(parseOrderStatus(status)).toBe(status);
    }
  });

  it('yields a status or null for any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const status = parseOrderStatus(text);
        if (status !== null) expect(ORDER_STATUSES).toContain(status);
      }),
    );
  });
});

describe('status sets, each defined once', () => {
  it('an order is final, or open and cancelable, never both; refillable ones are final', () => {
    expect(FINAL_ORDER_STATUSES).toEqual(['completed', 'partial', 'canceled']);
    expect(OPEN_ORDER_STATUSES).toEqual(['pending', 'in_progress', 'processing']);
    expect(REFILLABLE_ORDER_STATUSES.every((status) => FINAL_ORDER_STATUSES.includes(status))).toBe(true);
  });

  it('a subscription is open (active, paused) or final, as its state machine says', () => {
    expect(OPEN_SUBSCRIPTION_STATUSES).toEqual(['active', 'paused']);
    expect(FINAL_SUBSCRIPTION_STATUSES).toEqual(['completed', 'expired', 'canceled']);
    for (const status of SUBSCRIPTION_STATUSES) {
      expect(isFinalSubscriptionStatus(status), status).toBe(
        !OPEN_SUBSCRIPTION_STATUSES.some((s) => s === status),
      );
    }
  });

  it('a refill is open while pending or in progress', () => {
    expect(OPEN_REFILL_STATUSES).toEqual(['pending', 'in_progress']);
  });
});

describe('reading stored values', () => {
  it('reads every stored status of each kind as itself', () => {
    for (const status of ORDER_STATUSES) expect(readOrderStatus(status)).toBe(status);
    for (const status of SUBSCRIPTION_STATUSES) expect(readSubscriptionStatus(status)).toBe(status);
    for (const status of REFILL_STATUSES) expect(readRefillStatus(status)).toBe(status);
    expect(readKindAndStatus('dripfeed', 'partial')).toEqual({ kind: 'dripfeed', status: 'partial' });
    expect(readKindAndStatus('subscription', 'paused')).toEqual({ kind: 'subscription', status: 'paused' });
  });

  it('refuses a value outside its list as a corrupt row: a fault, never a guess', () => {
    expect(() => readOrderStatus('Completed')).toThrow(/corrupt row: unknown order status "Completed"/);
    expect(() => readRefillStatus('done')).toThrow(/corrupt row/);
    // A status of the other kind is corrupt too: a subscription is never "partial".
    expect(() => readKindAndStatus('subscription', 'partial')).toThrow(/unknown subscription status/);
    expect(() => readKindAndStatus('order', 'active')).toThrow(/unknown order status/);
    expect(() => readKindAndStatus('bundle', 'pending')).toThrow(/unknown order kind/);
  });
});
