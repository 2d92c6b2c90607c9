import { describe, expect, it } from 'vitest';
import {
  NO_MARKUP,
  describeMarkup,
  formatMarkupPercent,
  markedUpRate,
  parseFixedMarkup,
  parseMarkupPercent,
} from './markup.js';

describe('markup', () => {
  it('parses percentages exactly, with or without the sign, up to two decimals', () => {
    expect(parseMarkupPercent('25%')).toBe(2500n);
    expect(parseMarkupPercent('25')).toBe(2500n);
    expect(parseMarkupPercent(' 12.5% ')).toBe(1250n);
    expect(parseMarkupPercent('0.75')).toBe(75n);
    expect(parseMarkupPercent('0')).toBe(0n);
    expect(parseMarkupPercent('300%')).toBe(30000n);
    for (const bad of ['', '%', '-5%', '1.234', '1e2', '25 %', 'abc', '1.', '.5']) {
      expect(parseMarkupPercent(bad), bad).toBeNull();
    }
  });

  it('parses the fixed markup as money, never negative', () => {
    expect(parseFixedMarkup('0.10')).toBe(10_000n);
    expect(parseFixedMarkup('0.00001')).toBe(1n);
    expect(parseFixedMarkup('0')).toBe(0n);
    expect(parseFixedMarkup('-0.10')).toBeNull();
    expect(parseFixedMarkup('0.000001')).toBeNull();
    expect(parseFixedMarkup('ten')).toBeNull();
  });

  it('formats what it parses', () => {
    expect(formatMarkupPercent(2500n)).toBe('25%');
    expect(formatMarkupPercent(1250n)).toBe('12.5%');
    expect(formatMarkupPercent(75n)).toBe('0.75%');
    expect(formatMarkupPercent(0n)).toBe('0%');
    expect(describeMarkup({ percentHundredths: 2500n, fixed: 10_000n })).toBe('25% + 0.10000');
  });

  it('marks up a rate with the percentage, rounded up to the money unit, then adds the fixed amount', () => {
    const markup = { percentHundredths: 2500n, fixed: 10_000n };
    // 0.90 × 1.25 = 1.125 exactly, + 0.10
    expect(markedUpRate(90_000n, markup)).toBe(122_500n);
    // 0.00123 × 1.25 = 0.0015375 → 0.00154, + 0.10
    expect(markedUpRate(123n, markup)).toBe(10_154n);
    // 0.00001 × 1.125 = 0.00001125 → 0.00002
    expect(markedUpRate(1n, { percentHundredths: 1250n, fixed: 0n })).toBe(2n);
    expect(markedUpRate(0n, markup)).toBe(10_000n);
    expect(markedUpRate(90_000n, NO_MARKUP)).toBe(90_000n);
    expect(() => markedUpRate(-1n, markup)).toThrow(RangeError);
  });

  it('never sells below the provider rate plus the asked markup', () => {
    for (let rate = 0n; rate < 2_000n; rate += 7n) {
      for (const percent of [0n, 1n, 33n, 1250n, 2500n, 9999n]) {
        const result = markedUpRate(rate, { percentHundredths: percent, fixed: 3n });
        const exact = rate * (10_000n + percent);
        expect((result - 3n) * 10_000n >= exact).toBe(true);
        expect((result - 3n - 1n) * 10_000n < exact).toBe(true);
      }
    }
  });
});
