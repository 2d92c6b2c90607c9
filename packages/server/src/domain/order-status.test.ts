import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  ORDER_STATUSES,
  type OrderStatus,
  SUBSCRIPTION_STATUSES,
  type SubscriptionStatus,
  canTransition,
  canTransitionSubscription,
  isFinalOrderStatus,
  orderStatusLabel,
  parseOrderStatus,
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
