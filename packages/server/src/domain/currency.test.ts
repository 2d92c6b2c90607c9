import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RATE_SCALE,
  convertToPanel,
  formatExchangeRate,
  parseCurrencyCode,
  parseExchangeRate,
  rateFor,
  readRateFeed,
} from './currency.js';
import { markedUpRate } from './markup.js';

const rateArb = fc.bigInt({ min: 1n, max: 100_000_000n * RATE_SCALE - 1n });
const moneyArb = fc.bigInt({ min: 0n, max: 10n ** 15n });

describe('exchange rates', () => {
  it('parses rate text strictly: digits, a point, up to 10 decimals, above zero', () => {
    expect(parseExchangeRate('1.0845')).toBe(10_845_000_000n);
    expect(parseExchangeRate(' 1 ')).toBe(RATE_SCALE);
    expect(parseExchangeRate('0.0000000001')).toBe(1n);
    expect(parseExchangeRate('99999999.9999999999')).toBe(100_000_000n * RATE_SCALE - 1n);
    for (const bad of [
      '',
      '0',
      '0.0',
      '-1',
      '+1',
      '1e3',
      '1,5',
      '1.',
      '.5',
      '1 000',
      '0.00000000001',
      'NaN',
      'Infinity',
      '123456789',
      '0x10',
    ]) {
      expect(parseExchangeRate(bad), bad).toBeNull();
    }
  });

  it('formats what it parses, exactly (round trip for every representable rate)', () => {
    expect(formatExchangeRate(10_845_000_000n)).toBe('1.0845');
    expect(formatExchangeRate(RATE_SCALE * 83n)).toBe('83');
    fc.assert(fc.property(rateArb, (rate) => parseExchangeRate(formatExchangeRate(rate)) === rate));
  });

  it('reads currency codes as three capital letters', () => {
    expect(parseCurrencyCode(' eur ')).toBe('EUR');
    for (const bad of ['EU', 'EURO', 'E1R', '', '€']) expect(parseCurrencyCode(bad), bad).toBeNull();
  });

  it('converts to the panel currency rounding up: never below the exact value, less than one unit above it', () => {
    expect(convertToPanel(100_000n, parseExchangeRate('1.0845')!)).toBe(108_450n);
    // 0.00001 EUR at 1.0845 is 0.0000108450 USD: one unit and a bit, so two units.
    expect(convertToPanel(1n, parseExchangeRate('1.0845')!)).toBe(2n);
    expect(convertToPanel(0n, parseExchangeRate('1.0845')!)).toBe(0n);
    fc.assert(
      fc.property(moneyArb, rateArb, (amount, rate) => {
        const converted = convertToPanel(amount, rate);
        const exact = amount * rate; // in units of 10⁻¹⁰ money units
        return converted * RATE_SCALE >= exact && (converted - 1n) * RATE_SCALE < exact;
      }),
    );
  });

  it('a marked-up price of a converted rate is never below the real cost in the panel currency', () => {
    fc.assert(
      fc.property(moneyArb, rateArb, fc.bigInt({ min: 0n, max: 100_000n }), (providerRate, rate, percent) => {
        const price = markedUpRate(convertToPanel(providerRate, rate), {
          percentHundredths: percent,
          fixed: 0n,
        });
        return price * RATE_SCALE >= providerRate * rate;
      }),
    );
  });

  it('the panel currency converts at exactly 1; a provider naming none bills in it; others need a rate', () => {
    const table = { panelCurrency: 'USD', rates: new Map([['EUR', 10_845_000_000n]]) };
    expect(rateFor(table, 'USD')).toEqual({ ok: true, rate: RATE_SCALE });
    expect(rateFor(table, null)).toEqual({ ok: true, rate: RATE_SCALE });
    expect(rateFor(table, '')).toEqual({ ok: true, rate: RATE_SCALE });
    expect(rateFor(table, 'eur')).toEqual({ ok: true, rate: 10_845_000_000n });
    expect(rateFor(table, 'INR')).toEqual({ ok: false, currency: 'INR' });
  });
});

describe('the rate feed', () => {
  it('inverts a feed based on the panel currency, rounding up at 10 decimals', () => {
    const read = readRateFeed({ base: 'USD', rates: { EUR: 0.92, INR: '83.5', USD: 1, GBP: 0.8 } }, 'USD');
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    // 1 / 0.92 = 1.08695652173913… → 1.0869565218 (up).
    expect(formatExchangeRate(read.reading.rates.get('EUR')!)).toBe('1.0869565218');
    expect(formatExchangeRate(read.reading.rates.get('GBP')!)).toBe('1.25');
    expect(formatExchangeRate(read.reading.rates.get('INR')!)).toBe('0.011976048'); // 0.01197604790… up;
    expect(read.reading.rates.has('USD')).toBe(false);
  });

  it('converts through the panel currency when the base is another one', () => {
    // 1 EUR = 1.085 USD, 1 EUR = 0.85 GBP → 1 GBP = 1.085 / 0.85 USD; 1 EUR (the base) = 1.085 USD.
    const read = readRateFeed({ base: 'EUR', rates: { USD: 1.085, GBP: 0.85 } }, 'USD');
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(formatExchangeRate(read.reading.rates.get('EUR')!)).toBe('1.085');
    expect(formatExchangeRate(read.reading.rates.get('GBP')!)).toBe('1.2764705883');
  });

  it('every feed rate is the exact quotient rounded up', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 5 }),
        (units, decimals) => {
          const text = (units / 10 ** decimals).toFixed(decimals);
          const read = readRateFeed({ base: 'USD', rates: { XXX: text } }, 'USD');
          if (!read.ok) return false;
          const rate = read.reading.rates.get('XXX')!;
          // rate ≥ 10^decimals / units (exact), and rate - 1 below it.
          const exact = 10n ** BigInt(decimals) * RATE_SCALE;
          return rate * BigInt(units) >= exact && (rate - 1n) * BigInt(units) < exact;
        },
      ),
    );
  });

  it('refuses a feed it cannot use, with the reason, and skips unusable entries', () => {
    expect(readRateFeed([], 'USD')).toEqual({ ok: false, reason: 'the feed is not a JSON object' });
    expect(readRateFeed({ rates: {} }, 'USD')).toEqual({
      ok: false,
      reason: 'the feed has no "base" currency code',
    });
    expect(readRateFeed({ base: 'USD' }, 'USD')).toEqual({
      ok: false,
      reason: 'the feed has no "rates" object',
    });
    const noPanel = readRateFeed({ base: 'EUR', rates: { GBP: 0.85 } }, 'USD');
    expect(noPanel.ok).toBe(false);
    if (!noPanel.ok) expect(noPanel.reason).toContain('lists no usable rate for USD');
    const read = readRateFeed({ base: 'USD', rates: { EUR: 0, JPY: 1e-7, ABC: 'x', GBP: 0.8 } }, 'USD');
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect([...read.reading.rates.keys()]).toEqual(['GBP']);
    expect(read.reading.skipped.map((s) => s.currency)).toEqual(['EUR', 'JPY', 'ABC']);
  });
});
