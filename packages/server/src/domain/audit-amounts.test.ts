import { describe, expect, it } from 'vitest';
import { auditAmounts } from './audit-amounts.js';

describe('auditAmounts', () => {
  it('reads formatted decimals and stored units of the money details an action names', () => {
    expect(auditAmounts('funds.deposit', { amount: '25.00000', memo: 'x', balance: '30.50000' })).toEqual([
      { name: 'amount', amount: '25.00000' },
      { name: 'balance', amount: '30.50000' },
    ]);
    expect(auditAmounts('service.update', { rate: '90000' })).toEqual([{ name: 'rate', amount: '0.90000' }]);
    expect(auditAmounts('rate.set', { service: 3, rate: '0.9' })).toEqual([
      { name: 'rate', amount: '0.90000' },
    ]);
    expect(auditAmounts('funds.adjustment', { amount: '-3.50000' })).toEqual([
      { name: 'amount', amount: '-3.50000' },
    ]);
  });

  it('leaves out what is not money: other actions, nulls, text, non-objects', () => {
    expect(auditAmounts('order.status', { refund: null, remains: 10 })).toEqual([]);
    expect(auditAmounts('payments.deposit.approve', { amount: '10.00' })).toEqual([]);
    expect(auditAmounts('rate.set', { rate: 'cheap' })).toEqual([]);
    expect(auditAmounts('funds.deposit', null)).toEqual([]);
    expect(auditAmounts('funds.deposit', '25')).toEqual([]);
  });
});
