import { describe, expect, it } from 'vitest';
import {
  currencyCode,
  decimalFromJsonNumber,
  fromMinorUnits,
  minorUnitDigits,
  normaliseDecimal,
  scaledDecimal,
  toMinorUnits,
} from './currency-units.js';

describe('currency units', () => {
  it('10.50 USD ↔ 1050 cents, exactly', () => {
    expect(toMinorUnits('10.50', 'USD')).toBe(1050n);
    expect(toMinorUnits('10.5', 'usd')).toBe(1050n);
    expect(toMinorUnits('10.50000', 'USD')).toBe(1050n);
    expect(fromMinorUnits(1050n, 'USD')).toBe('10.50');
    expect(fromMinorUnits(1050, 'usd')).toBe('10.50');
    expect(fromMinorUnits(5, 'EUR')).toBe('0.05');
    expect(toMinorUnits('0.07', 'USD')).toBe(7n); // 0.07 * 100 is 7.000000000000001 in floats
    expect(toMinorUnits('1234567890123.45', 'USD')).toBe(123456789012345n);
  });

  it('zero-decimal (JPY) and three-decimal (KWD) currencies', () => {
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(toMinorUnits('1000', 'JPY')).toBe(1000n);
    expect(toMinorUnits('1000.00000', 'jpy')).toBe(1000n);
    expect(fromMinorUnits(1000n, 'JPY')).toBe('1000');
    expect(() => toMinorUnits('1000.5', 'JPY')).toThrow(/more than 0 decimals/);
    expect(minorUnitDigits('KWD')).toBe(3);
    expect(toMinorUnits('1.234', 'KWD')).toBe(1234n);
    expect(fromMinorUnits(1234n, 'KWD')).toBe('1.234');
    expect(normaliseDecimal('1000', 'HUF', 0)).toBe('1000');
  });

  it('refuses fractions of a minor unit, signs, exponents and junk', () => {
    expect(() => toMinorUnits('10.505', 'USD')).toThrow(/more than 2 decimals/);
    for (const bad of ['-1', '1e3', '', ' ', 'abc', '1,50', '0x10', '1.2.3'])
      expect(() => toMinorUnits(bad, 'USD')).toThrow();
    expect(() => currencyCode('US')).toThrow(/ISO 4217/);
    expect(() => fromMinorUnits(10.5, 'USD')).toThrow(/integer/);
    expect(() => fromMinorUnits(-1n, 'USD')).toThrow(/negative/);
  });

  it('reads JSON numbers as the decimal their sender wrote', () => {
    const read = (json: string) => decimalFromJsonNumber(JSON.parse(json));
    expect(read('10.5')).toBe('10.5');
    expect(read('10.50')).toBe('10.5');
    expect(read('0.1')).toBe('0.1');
    expect(read('0.00000012')).toBe('0.00000012'); // JavaScript prints 1.2e-7
    expect(read('1e21')).toBe('1000000000000000000000');
    expect(read('"12.34"')).toBe('12.34');
    expect(() => read('-1')).toThrow();
    expect(() => read('"abc"')).toThrow();
    expect(scaledDecimal('0.00012345', 8)).toBe(12345n);
    expect(scaledDecimal('1.5', 2)).toBe(150n);
  });
});
