import { describe, expect, it } from 'vitest';
import { displayAmount, displayMoney } from './money.js';

describe('money on the web panel', () => {
  it('shows two decimals unless more are significant, without rounding', () => {
    expect(displayAmount('25')).toBe('25.00');
    expect(displayAmount('25.00000')).toBe('25.00');
    expect(displayAmount('24.32500')).toBe('24.325');
    expect(displayAmount('0.09000')).toBe('0.09');
    expect(displayAmount('0.00001')).toBe('0.00001');
    expect(displayAmount('-0.22500')).toBe('-0.225');
    expect(displayAmount('1.5')).toBe('1.50');
    expect(displayAmount('123456789.12345')).toBe('123456789.12345');
  });

  it('keeps what it cannot read as it is, and adds the currency', () => {
    expect(displayAmount('n/a')).toBe('n/a');
    expect(displayMoney('48.99500', 'USD')).toBe('48.995 USD');
    expect(displayMoney(null, 'USD')).toBe('—');
    expect(displayMoney('500.00000', null)).toBe('500.00');
  });
});
