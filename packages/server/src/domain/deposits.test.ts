import { describe, expect, it } from 'vitest';
import {
  DEPOSIT_STATUSES,
  bonusFor,
  depositEntryKeys,
  depositTerms,
  feeFor,
  formatBonusTiers,
  formatMajor,
  mayMoveDeposit,
  parseBonusTiers,
  parseDepositAmount,
  parsePercent,
  paymentMismatch,
  readDepositStatus,
} from './deposits.js';
import { parseMoney } from './money.js';

const m = (text: string) => {
  const value = parseMoney(text);
  if (value === null) throw new Error(text);
  return value;
};

describe('deposit state machine', () => {
  it('allows the documented moves and nothing else', () => {
    const allowed = new Set([
      'pending>paid',
      'pending>failed',
      'pending>expired',
      'pending>review',
      'review>paid',
      'review>failed',
      'expired>review',
      'failed>review',
      'paid>refunded',
      'paid>disputed',
      'pending>refunded',
      'pending>disputed',
      'review>refunded',
      'review>disputed',
    ]);
    for (const from of DEPOSIT_STATUSES)
      for (const to of DEPOSIT_STATUSES)
        expect(mayMoveDeposit(from, to), `${from} → ${to}`).toBe(allowed.has(`${from}>${to}`));
  });

  it('never leaves refunded or disputed, and a paid deposit is never failed', () => {
    expect(mayMoveDeposit('refunded', 'paid')).toBe(false);
    expect(mayMoveDeposit('disputed', 'review')).toBe(false);
    expect(mayMoveDeposit('paid', 'failed')).toBe(false);
    expect(mayMoveDeposit('paid', 'paid')).toBe(false);
  });

  it('reads stored statuses and refuses anything else', () => {
    expect(readDepositStatus('review')).toBe('review');
    expect(() => readDepositStatus('settled')).toThrow(/corrupt row/);
  });
});

describe('amounts, percents and tiers', () => {
  it('parses deposit amounts with at most 2 decimals, more than zero', () => {
    expect(parseDepositAmount('10')).toEqual({ ok: true, value: m('10') });
    expect(parseDepositAmount(' 10.5 ')).toEqual({ ok: true, value: m('10.5') });
    for (const bad of ['0', '0.00', '-5', '10.001', '1e3', '', 'ten', '10,50'])
      expect(parseDepositAmount(bad).ok, bad).toBe(false);
  });

  it('parses percents to basis points', () => {
    expect(parsePercent('2.5')).toEqual({ ok: true, value: 250 });
    expect(parsePercent('0')).toEqual({ ok: true, value: 0 });
    expect(parsePercent('100')).toEqual({ ok: true, value: 10000 });
    expect(parsePercent('100.01').ok).toBe(false);
    expect(parsePercent('-1').ok).toBe(false);
    expect(parsePercent('2.555').ok).toBe(false);
  });

  it('parses bonus tiers, sorted, with clear errors', () => {
    const tiers = parseBonusTiers('500:10, 100:5');
    expect(tiers).toEqual({
      ok: true,
      value: [
        { from: m('100'), percentBps: 500 },
        { from: m('500'), percentBps: 1000 },
      ],
    });
    if (tiers.ok) expect(formatBonusTiers(tiers.value)).toBe('100.00:5,500.00:10');
    expect(parseBonusTiers('')).toEqual({ ok: true, value: [] });
    expect(parseBonusTiers('100')).toEqual({ ok: false, reason: '"100" is not AMOUNT:PERCENT, e.g. 100:5' });
    expect(parseBonusTiers('100:0').ok).toBe(false);
    expect(parseBonusTiers('100:5,100:6')).toEqual({ ok: false, reason: 'two tiers from 100' });
    expect(parseBonusTiers('abc:5').ok).toBe(false);
  });

  it('gives the bonus of the highest tier reached, rounded down', () => {
    const tiers = [
      { from: m('100'), percentBps: 500 },
      { from: m('500'), percentBps: 1000 },
    ];
    expect(bonusFor(m('99.99'), tiers)).toBe(0n);
    expect(bonusFor(m('100'), tiers)).toBe(m('5'));
    expect(bonusFor(m('499.99'), tiers)).toBe(m('24.9995'));
    expect(bonusFor(m('500'), tiers)).toBe(m('50'));
    expect(bonusFor(m('0.01'), [{ from: m('0.01'), percentBps: 1 }])).toBe(0n);
  });

  it('rounds the fee up to the cent', () => {
    expect(feeFor(m('10'), 250)).toBe(m('0.25'));
    expect(feeFor(m('10.01'), 250)).toBe(m('0.26'));
    expect(feeFor(m('10'), 0)).toBe(0n);
  });
});

describe('deposit terms', () => {
  const method = {
    min: m('5'),
    max: m('1000'),
    feeBps: 300,
    bonusTiers: [{ from: m('100'), percentBps: 500 }],
  };

  it('adds the fee to what the customer pays, or absorbs it', () => {
    expect(depositTerms(m('100'), method, 'added')).toEqual({
      ok: true,
      value: { amount: m('100'), fee: m('3'), payAmount: m('103'), bonus: m('5') },
    });
    expect(depositTerms(m('100'), method, 'absorbed')).toEqual({
      ok: true,
      value: { amount: m('100'), fee: m('3'), payAmount: m('100'), bonus: m('5') },
    });
  });

  it('checks the minimum and maximum', () => {
    expect(depositTerms(m('4.99'), method, 'added')).toEqual({
      ok: false,
      failure: { kind: 'below_min', min: m('5') },
    });
    expect(depositTerms(m('1000.01'), method, 'added')).toEqual({
      ok: false,
      failure: { kind: 'above_max', max: m('1000') },
    });
    expect(depositTerms(m('1000'), { ...method, max: null }, 'added').ok).toBe(true);
  });
});

describe('gateway amounts', () => {
  it('formats major units with 2 decimals', () => {
    expect(formatMajor(m('10.5'))).toBe('10.50');
    expect(formatMajor(m('0.01'))).toBe('0.01');
    expect(formatMajor(m('1234'))).toBe('1234.00');
  });

  it('says why a payment is not the expected one', () => {
    const expected = { payAmount: m('10.30'), currency: 'USD' };
    expect(paymentMismatch(expected, { amount: '10.30', currency: 'usd' })).toBeNull();
    expect(paymentMismatch(expected, { amount: '10.3', currency: 'USD' })).toBeNull();
    expect(paymentMismatch(expected, { amount: '9.00', currency: 'USD' })).toBe(
      'paid 9.00 USD, expected 10.30 USD',
    );
    expect(paymentMismatch(expected, { amount: '10.30', currency: 'EUR' })).toBe(
      'paid 10.30 EUR, expected 10.30 USD',
    );
    expect(paymentMismatch(expected, { amount: 'lots', currency: 'USD' })).toMatch(/^paid lots USD/);
  });

  it('keys ledger entries by gateway and payment id', () => {
    expect(depositEntryKeys('stripe', 'cs_1')).toEqual({
      credit: 'deposit:stripe:cs_1',
      bonus: 'bonus:stripe:cs_1',
      chargeback: 'chargeback:stripe:cs_1',
      bonusChargeback: 'chargeback:bonus:stripe:cs_1',
    });
  });
});
