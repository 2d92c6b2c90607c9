import { readStoredValue } from './stored-value.js';

/**
 * Why a ledger entry moved a balance: a deposit (funds added), an order's charge, a refund of it,
 * or an owner's adjustment (a deduction, or any correction by hand).
 */
export const LEDGER_KINDS = ['deposit', 'charge', 'refund', 'adjustment'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export function readLedgerKind(stored: string): LedgerKind {
  return readStoredValue(LEDGER_KINDS, stored, 'ledger entry kind');
}
