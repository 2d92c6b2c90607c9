import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { partialRefund } from './money.js';
import { ORDER_STATUSES, type OrderStatus } from './order-status.js';
import { type RefundableOrder, clampRemains, refundFor } from './refunds.js';

const order = (overrides: Partial<RefundableOrder> = {}): RefundableOrder => ({
  id: 42,
  charge: 100_000n,
  refunded: 0n,
  totalQuantity: 1000,
  ...overrides,
});

/** An order with some of its charge possibly refunded already, and remains within 0..quantity. */
const orderAndRemains = fc
  .record({
    id: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    charge: fc.bigInt({ min: 0n, max: 10n ** 20n }),
    totalQuantity: fc.integer({ min: 1, max: 10 ** 9 }),
  })
  .chain(({ id, charge, totalQuantity }) =>
    fc.tuple(
      fc.constant(id),
      fc.constant(charge),
      fc.bigInt({ min: 0n, max: charge }),
      fc.constant(totalQuantity),
      fc.integer({ min: 0, max: totalQuantity }),
    ),
  )
  .map(([id, charge, refunded, totalQuantity, remains]) => ({
    order: { id, charge, refunded, totalQuantity },
    remains,
  }));

describe('refundFor: Partial', () => {
  it('refunds the undelivered share of the charge, keyed by the order', () => {
    expect(refundFor(order(), 'partial', 250)).toEqual({
      amount: 25_000n,
      entryKey: 'refund:partial:42',
      reason: 'Order #42 partial',
    });
  });

  it('rounds down: it never over-refunds', () => {
    expect(refundFor(order({ charge: 100n, totalQuantity: 3 }), 'partial', 1)?.amount).toBe(33n);
    expect(refundFor(order({ charge: 100n, totalQuantity: 3 }), 'partial', 2)?.amount).toBe(66n);
    expect(refundFor(order({ charge: 27_819n, totalQuantity: 309 }), 'partial', 100)?.amount).toBe(9_002n);
  });

  it('refunds the whole charge when nothing was delivered', () => {
    expect(refundFor(order(), 'partial', 1000)?.amount).toBe(100_000n);
  });

  it('owes nothing when everything was delivered, or the refund rounds to 0', () => {
    expect(refundFor(order(), 'partial', 0)).toBeNull();
    expect(refundFor(order({ charge: 1n, totalQuantity: 1000 }), 'partial', 999)).toBeNull();
  });

  it('caps the refund at what is still outstanding', () => {
    expect(refundFor(order({ refunded: 90_000n }), 'partial', 500)?.amount).toBe(10_000n);
    expect(refundFor(order({ refunded: 20_000n }), 'partial', 500)?.amount).toBe(50_000n);
    expect(refundFor(order({ refunded: 100_000n }), 'partial', 500)).toBeNull();
  });

  it('uses the total quantity of a drip-feed (quantity × runs)', () => {
    expect(refundFor(order({ charge: 45_000n, totalQuantity: 500 }), 'partial', 100)?.amount).toBe(9_000n);
  });
});

describe('refundFor: Canceled', () => {
  it('refunds the whole charge, keyed by the order', () => {
    expect(refundFor(order({ id: 7 }), 'canceled', 0)).toEqual({
      amount: 100_000n,
      entryKey: 'refund:canceled:7',
      reason: 'Order #7 canceled',
    });
  });

  it('refunds the whole charge whatever remains says', () => {
    expect(refundFor(order(), 'canceled', 1000)?.amount).toBe(100_000n);
    expect(refundFor(order(), 'canceled', 10)?.amount).toBe(100_000n);
  });

  it('refunds only what is left after an earlier refund', () => {
    expect(refundFor(order({ refunded: 30_000n }), 'canceled', 0)?.amount).toBe(70_000n);
    expect(refundFor(order({ refunded: 99_999n }), 'canceled', 0)?.amount).toBe(1n);
  });

  it('owes nothing on a free order or one already fully refunded', () => {
    expect(refundFor(order({ charge: 0n }), 'canceled', 0)).toBeNull();
    expect(refundFor(order({ refunded: 100_000n }), 'canceled', 0)).toBeNull();
    expect(refundFor(order({ refunded: 150_000n }), 'canceled', 0)).toBeNull();
  });
});

describe('refundFor: other statuses', () => {
  it.each(ORDER_STATUSES.filter((s) => s !== 'partial' && s !== 'canceled').map((s) => [s]))(
    '%s owes no refund',
    (status) => {
      expect(refundFor(order(), status, 1000)).toBeNull();
      expect(refundFor(order(), status, 0)).toBeNull();
    },
  );
});

describe('refundFor: properties', () => {
  it('never refunds more than is outstanding, and never 0 or less', () => {
    fc.assert(
      fc.property(orderAndRemains, fc.constantFrom(...ORDER_STATUSES), ({ order: o, remains }, status) => {
        const refund = refundFor(o, status, remains);
        if (refund === null) return;
        expect(refund.amount > 0n).toBe(true);
        expect(refund.amount <= o.charge - o.refunded).toBe(true);
        expect(refund.entryKey).toBe(`refund:${status}:${o.id}`);
      }),
    );
  });

  it('a Partial refund is the rounded-down share, capped at what is outstanding', () => {
    fc.assert(
      fc.property(orderAndRemains, ({ order: o, remains }) => {
        const share = partialRefund(o.charge, remains, o.totalQuantity);
        const outstanding = o.charge - o.refunded;
        const expected = share < outstanding ? share : outstanding;
        expect(refundFor(o, 'partial', remains)?.amount ?? 0n).toBe(expected);
      }),
    );
  });

  it('a Canceled refund is exactly what is outstanding', () => {
    fc.assert(
      fc.property(orderAndRemains, ({ order: o, remains }) => {
        expect(refundFor(o, 'canceled', remains)?.amount ?? 0n).toBe(o.charge - o.refunded);
      }),
    );
  });

  it('refunds applied one after another never add up to more than the charge', () => {
    const step = fc.tuple(fc.constantFrom<OrderStatus>('partial', 'canceled'), fc.nat());
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.integer({ min: 1, max: 10 ** 6 }),
        fc.array(step, { maxLength: 10 }),
        (charge, totalQuantity, steps) => {
          let refunded = 0n;
          for (const [status, remains] of steps) {
            const refund = refundFor(
              { id: 1, charge, refunded, totalQuantity },
              status,
              remains % (totalQuantity + 1),
            );
            refunded += refund?.amount ?? 0n;
            expect(refunded <= charge).toBe(true);
          }
        },
      ),
    );
  });
});

describe('clampRemains', () => {
  it.each([
    [50, 100, 50],
    [0, 100, 0],
    [100, 100, 100],
    [-5, 100, 0],
    [150, 100, 100],
    [12.7, 100, 12],
    [-0.5, 100, 0],
    [100.9, 100, 100],
    [5, 0, 0],
  ])('clampRemains(%s, %s) is %s', (remains, total, expected) => {
    expect(clampRemains(remains, total)).toBe(expected);
  });

  it('always yields a whole number within 0..quantity', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e12, max: 1e12, noNaN: true }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        (remains, total) => {
          const clamped = clampRemains(remains, total);
          expect(Number.isInteger(clamped)).toBe(true);
          expect(clamped).toBeGreaterThanOrEqual(0);
          expect(clamped).toBeLessThanOrEqual(total);
        },
      ),
    );
  });
});
