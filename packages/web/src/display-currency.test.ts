import { describe, expect, it } from 'vitest';
import { convertForDisplay } from './display-currency.js';

describe('display currency conversion', () => {
  it('converts exactly where floats would not: 108 USD at 1 EUR = 1.08 USD is 100.00 EUR', () => {
    expect(convertForDisplay('108.00000', '1.08')).toBe('100.00');
    // 0.1 + 0.2 territory: 0.30000 at rate 0.1 is exactly 3.00.
    expect(convertForDisplay('0.30000', '0.1')).toBe('3.00');
    expect(convertForDisplay('1234.50000', '1')).toBe('1234.50');
    expect(convertForDisplay('10.00000', '0.0000000001')).toBe('100000000000.00');
  });

  it('rounds half away from zero at the shown decimals, and only there', () => {
    expect(convertForDisplay('0.00500', '1')).toBe('0.01');
    expect(convertForDisplay('0.00499', '1')).toBe('0.00');
    expect(convertForDisplay('-0.00500', '1')).toBe('-0.01');
    expect(convertForDisplay('1.00000', '3')).toBe('0.33');
    expect(convertForDisplay('2.00000', '3')).toBe('0.67');
    expect(convertForDisplay('2.00000', '3', 5)).toBe('0.66667');
    expect(convertForDisplay('2.00000', '3', 0)).toBe('1');
  });

  it('keeps every digit of huge amounts (beyond 2^53) and huge or tiny rates', () => {
    expect(convertForDisplay('92233720368547.75807', '1')).toBe('92233720368547.76');
    expect(convertForDisplay('92233720368547.75807', '99999999.9999999999')).toBe('922337.20');
    // (10^20 - 10^-5) × 10^10 = 10^30 - 10^5, every digit kept.
    expect(convertForDisplay('99999999999999999999.99999', '0.0000000001')).toBe(
      '999999999999999999999999900000.00',
    );
  });

  it('refuses what it cannot read (the caller then shows the panel currency): never a wrong figure', () => {
    for (const [amount, rate] of [
      ['12.5', '0'],
      ['12.5', '0.0000000000'],
      ['12.5', '-1'],
      ['12.5', '1e3'],
      ['12.5', ''],
      ['12.5', '1.00000000001'],
      ['1,234.50', '1'],
      ['NaN', '1'],
      ['12.500001', '1'],
      ['', '1'],
    ] as const) {
      expect(convertForDisplay(amount, rate), `${amount} at ${rate}`).toBeNull();
    }
    expect(convertForDisplay('1.00000', '1', 11)).toBeNull();
  });
});
