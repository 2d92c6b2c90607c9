import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  MONEY_DECIMALS,
  MONEY_SCALE,
  chargeForQuantity,
  divideRounded,
  formatMoney,
  formatRate,
  parseMoney,
  partialRefund,
} from './money.js';

/** The largest amount parseMoney accepts: 15 whole digits and 5 decimals. */
const MAX_UNITS = 10n ** 20n - 1n;
const anyMoney = fc.bigInt({ min: -MAX_UNITS, max: MAX_UNITS });
const nonNegativeMoney = fc.bigInt({ min: 0n, max: MAX_UNITS });
/** A quantity (1..2³¹-1) and two remains values within 0..quantity. */
const quantityAndTwoRemains = fc
  .integer({ min: 1, max: 2 ** 31 - 1 })
  .chain((quantity) =>
    fc.tuple(
      fc.constant(quantity),
      fc.integer({ min: 0, max: quantity }),
      fc.integer({ min: 0, max: quantity }),
    ),
  );

describe('money constants', () => {
  it('counts money in 10⁻⁵ units', () => {
    expect(MONEY_DECIMALS).toBe(5);
    expect(MONEY_SCALE).toBe(100_000n);
  });
});

describe('parseMoney', () => {
  it.each([
    ['0', 0n],
    ['1', 100_000n],
    ['12.5', 1_250_000n],
    ['0.00001', 1n],
    ['0.1', 10_000n],
    ['0.90', 90_000n],
    ['100.84292', 10_084_292n],
    ['0.27819', 27_819n],
    ['-3', -300_000n],
    ['-0.5', -50_000n],
    ['-0.00001', -1n],
    ['007.5', 750_000n],
    ['999999999999999.99999', MAX_UNITS],
    ['-999999999999999.99999', -MAX_UNITS],
    ['  12.5  ', 1_250_000n],
    ['\t1\n', 100_000n],
  ])('parses %j as %s units', (text, units) => {
    expect(parseMoney(text)).toBe(units);
  });

  it('never yields a negative zero-like value for "-0"', () => {
    expect(parseMoney('-0')).toBe(0n);
    expect(parseMoney('-0.00000')).toBe(0n);
  });

  it.each([
    [''],
    ['   '],
    ['abc'],
    ['1e5'],
    ['1E5'],
    ['1.5e2'],
    ['0.000001'],
    ['1.123456'],
    ['1 000'],
    ['1. 5'],
    ['- 1'],
    ['1 .5'],
    ['+1'],
    ['+0.5'],
    ['--1'],
    ['1-'],
    ['.5'],
    ['5.'],
    ['.'],
    ['-'],
    ['1,5'],
    ['1.2.3'],
    ['0x10'],
    ['Infinity'],
    ['NaN'],
    ['1000000000000000'],
    ['0000000000000001'],
    ['1000000000000000.5'],
    ['99999999999999999999999'],
    ['١٢'],
  ])('rejects %j', (text) => {
    expect(parseMoney(text)).toBeNull();
  });

  it('round-trips formatMoney for every amount in range', () => {
    fc.assert(
      fc.property(anyMoney, (units) => {
        expect(parseMoney(formatMoney(units))).toBe(units);
      }),
    );
  });

  it('rejects formatted amounts beyond 15 whole digits', () => {
    expect(parseMoney(formatMoney(MAX_UNITS + 1n))).toBeNull();
    expect(parseMoney(formatMoney(-MAX_UNITS - 1n))).toBeNull();
  });
});

describe('formatMoney', () => {
  it.each([
    [0n, '0.00000'],
    [1n, '0.00001'],
    [10n, '0.00010'],
    [27_819n, '0.27819'],
    [90_000n, '0.90000'],
    [100_000n, '1.00000'],
    [10_084_292n, '100.84292'],
    [MAX_UNITS, '999999999999999.99999'],
    [-1n, '-0.00001'],
    [-150_000n, '-1.50000'],
    [-10_084_292n, '-100.84292'],
  ])('formats %s units as %j', (units, text) => {
    expect(formatMoney(units)).toBe(text);
  });

  it('always shows exactly five decimals', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (units) => {
        expect(formatMoney(units)).toMatch(/^-?\d+\.\d{5}$/);
        expect(formatMoney(units).startsWith('-')).toBe(units < 0n);
      }),
    );
  });
});

describe('formatRate', () => {
  it.each([
    [90_000n, '0.90'],
    [800_000n, '8.00'],
    [123n, '0.00123'],
    [1_234_567n, '12.34567'],
    [0n, '0.00'],
    [100_000n, '1.00'],
    [150_000n, '1.50'],
    [10_000n, '0.10'],
    [1_000n, '0.01'],
    [1_010n, '0.0101'],
    [1n, '0.00001'],
    [12_345_000n, '123.45'],
    [12_345_600n, '123.456'],
    [-90_000n, '-0.90'],
    [-123n, '-0.00123'],
  ])('formats %s units as %j', (units, text) => {
    expect(formatRate(units)).toBe(text);
  });

  it('keeps 2 to 5 decimals and no trailing zero beyond the second', () => {
    fc.assert(
      fc.property(anyMoney, (units) => {
        const text = formatRate(units);
        expect(text).toMatch(/^-?\d+\.\d{2,5}$/);
        const fraction = text.split('.')[1] ?? '';
        if (fraction.length > 2) expect(fraction.endsWith('0')).toBe(false);
      }),
    );
  });

  it('round-trips through parseMoney', () => {
    fc.assert(
      fc.property(anyMoney, (units) => {
        expect(parseMoney(formatRate(units))).toBe(units);
      }),
    );
  });
});

describe('divideRounded', () => {
  it.each([
    [10n, 3n, 'up', 4n],
    [10n, 3n, 'down', 3n],
    [9n, 3n, 'up', 3n],
    [9n, 3n, 'down', 3n],
    [1n, 1000n, 'up', 1n],
    [1n, 1000n, 'down', 0n],
    [999n, 1000n, 'up', 1n],
    [1001n, 1000n, 'up', 2n],
    [1001n, 1000n, 'down', 1n],
    [0n, 5n, 'up', 0n],
    [0n, 5n, 'down', 0n],
  ] as const)('%s / %s rounded %s is %s', (numerator, denominator, rounding, expected) => {
    expect(divideRounded(numerator, denominator, rounding)).toBe(expected);
  });

  it('refuses a negative numerator and a non-positive denominator', () => {
    expect(() => divideRounded(-1n, 3n, 'up')).toThrow(RangeError);
    expect(() => divideRounded(1n, 0n, 'down')).toThrow(RangeError);
    expect(() => divideRounded(1n, -3n, 'up')).toThrow(RangeError);
  });

  it('rounds up exactly when there is a remainder, by one at most', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (numerator, denominator) => {
          const down = divideRounded(numerator, denominator, 'down');
          const up = divideRounded(numerator, denominator, 'up');
          expect(down * denominator <= numerator).toBe(true);
          expect((down + 1n) * denominator > numerator).toBe(true);
          expect(up - down).toBe(numerator % denominator === 0n ? 0n : 1n);
        },
      ),
    );
  });
});

describe('chargeForQuantity', () => {
  it.each([
    [90_000n, 1000, 90_000n],
    [90_000n, 309, 27_810n],
    [90_030n, 309, 27_820n],
    [12_345n, 7, 87n],
    [1n, 1, 1n],
    [1n, 1000, 1n],
    [1n, 1001, 2n],
    [800_000n, 50, 40_000n],
    [0n, 5000, 0n],
    [90_000n, 0, 0n],
  ])('rate %s × %s / 1000 is %s (rounded up)', (rate, quantity, charge) => {
    expect(chargeForQuantity(rate, quantity)).toBe(charge);
  });

  it('handles the largest rate and quantity exactly', () => {
    expect(chargeForQuantity(MAX_UNITS, 1_000_000_000_000)).toBe(MAX_UNITS * 1_000_000_000n);
    expect(chargeForQuantity(MAX_UNITS, Number.MAX_SAFE_INTEGER)).toBe(
      (MAX_UNITS * BigInt(Number.MAX_SAFE_INTEGER) + 999n) / 1000n,
    );
  });

  it('never undercharges, and by less than one unit at most', () => {
    fc.assert(
      fc.property(nonNegativeMoney, fc.maxSafeNat(), (rate, quantity) => {
        const charge = chargeForQuantity(rate, quantity);
        const exact = rate * BigInt(quantity);
        expect(charge * 1000n >= exact).toBe(true);
        expect((charge - 1n) * 1000n < exact).toBe(true);
      }),
    );
  });
});

describe('partialRefund', () => {
  it.each([
    [100_000n, 250, 1000, 25_000n],
    [100_000n, 0, 1000, 0n],
    [100_000n, 1000, 1000, 100_000n],
    [100n, 1, 3, 33n],
    [100n, 2, 3, 66n],
    [1n, 999, 1000, 0n],
    [27_819n, 100, 309, 9_002n],
  ])('charge %s, remains %s of %s refunds %s (rounded down)', (charge, remains, quantity, refund) => {
    expect(partialRefund(charge, remains, quantity)).toBe(refund);
  });

  it('clamps remains to 0..quantity', () => {
    expect(partialRefund(100_000n, -5, 1000)).toBe(0n);
    expect(partialRefund(100_000n, 5000, 1000)).toBe(100_000n);
  });

  it('refunds nothing for a quantity of 0 or less', () => {
    expect(partialRefund(100_000n, 10, 0)).toBe(0n);
    expect(partialRefund(100_000n, 10, -1)).toBe(0n);
  });

  it('never over-refunds, and by less than one unit at most', () => {
    fc.assert(
      fc.property(nonNegativeMoney, quantityAndTwoRemains, (charge, [quantity, remains]) => {
        const refund = partialRefund(charge, remains, quantity);
        const exact = charge * BigInt(remains);
        expect(refund >= 0n).toBe(true);
        expect(refund <= charge).toBe(true);
        expect(refund * BigInt(quantity) <= exact).toBe(true);
        expect((refund + 1n) * BigInt(quantity) > exact).toBe(true);
      }),
    );
  });

  it('is 0 at remains 0 and the whole charge at remains = quantity', () => {
    fc.assert(
      fc.property(nonNegativeMoney, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (charge, quantity) => {
        expect(partialRefund(charge, 0, quantity)).toBe(0n);
        expect(partialRefund(charge, quantity, quantity)).toBe(charge);
      }),
    );
  });

  it('is monotonic in remains', () => {
    fc.assert(
      fc.property(nonNegativeMoney, quantityAndTwoRemains, (charge, [quantity, a, b]) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(partialRefund(charge, low, quantity) <= partialRefund(charge, high, quantity)).toBe(true);
      }),
    );
  });

  it('refunds of complementary parts never add up to more than the charge', () => {
    fc.assert(
      fc.property(nonNegativeMoney, quantityAndTwoRemains, (charge, [quantity, remains]) => {
        const total =
          partialRefund(charge, remains, quantity) + partialRefund(charge, quantity - remains, quantity);
        expect(total <= charge).toBe(true);
        expect(charge - total <= 1n).toBe(true);
      }),
    );
  });

  it('refunds of any split of the quantity never add up to more than the charge', () => {
    fc.assert(
      fc.property(
        nonNegativeMoney,
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 }),
        (charge, parts) => {
          const quantity = parts.reduce((sum, part) => sum + part, 0);
          fc.pre(quantity > 0);
          const total = parts.reduce((sum, part) => sum + partialRefund(charge, part, quantity), 0n);
          expect(total <= charge).toBe(true);
        },
      ),
    );
  });
});
