import { readStoredValue } from './stored-value.js';

/**
 * Why a ledger entry moved a balance: a deposit (funds added: by the owner or paid in through a
 * payment method), an order's charge, a refund of it, an owner's adjustment (a deduction, or any
 * correction by hand), a deposit's bonus, a chargeback (a paid-in deposit refunded or disputed at its
 * gateway: the one entry that may take a balance below zero), and an affiliate's commission paid out
 * to their balance. The database's CHECK lists the same kinds (migration 0007).
 */
export const LEDGER_KINDS = [
  'deposit',
  'charge',
  'refund',
  'adjustment',
  'bonus',
  'chargeback',
  'affiliate_payout',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export function readLedgerKind(stored: string): LedgerKind {
  return readStoredValue(LEDGER_KINDS, stored, 'ledger entry kind');
}

/**
 * Only a chargeback may take a balance below zero: the gateway took the money back, whether or not
 * the customer spent it. Every other entry is refused when the balance cannot cover it.
 */
export function mayGoBelowZero(kind: LedgerKind): boolean {
  return kind === 'chargeback';
}
