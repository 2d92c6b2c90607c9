import { type Queryable, sql } from '../../src/store/database.js';

/**
 * Raw rows (snake_case columns, integers as bigint) for tests that inspect what the database holds
 * about the ledger, as they did before the store returned records: the store's own readers map
 * rows into the app's vocabulary, which these assertions are not about.
 */

export interface LedgerEntryRow {
  id: bigint;
  user_id: bigint;
  amount: bigint;
  kind: string;
  entry_key: string;
  order_id: bigint | null;
  memo: string | null;
  balance_after: bigint;
  created_at: bigint;
}

const selectOrderEntries = sql(
  `SELECT id, user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at
   FROM ledger_entries WHERE order_id = ? ORDER BY id`,
);

export function findLedgerEntriesForOrder(q: Queryable, orderId: number): Promise<LedgerEntryRow[]> {
  return q.all<LedgerEntryRow>(selectOrderEntries, [orderId]);
}
