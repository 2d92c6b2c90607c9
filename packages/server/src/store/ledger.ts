import { type Queryable, sql } from './database.js';

export type LedgerKind = 'deposit' | 'charge' | 'refund' | 'adjustment';

export interface LedgerEntryInput {
  readonly userId: number;
  /** Signed: positive credits the balance, negative debits it. */
  readonly amount: bigint;
  readonly kind: LedgerKind;
  /** Unique across the ledger (`charge:<order>`, `refund:partial:<order>`…): a retry never posts twice. */
  readonly entryKey: string;
  readonly orderId: number | null;
  readonly memo: string | null;
  readonly now: number;
}

export type LedgerPosting =
  | { readonly status: 'posted'; readonly balance: bigint }
  | { readonly status: 'insufficient' }
  | { readonly status: 'duplicate' };

const applyToBalance = sql(
  'UPDATE users SET balance = balance + ? WHERE id = ? AND balance + ? >= 0 RETURNING balance',
);
const revertBalance = sql('UPDATE users SET balance = balance - ? WHERE id = ?');
const insertEntry = sql(
  `INSERT INTO ledger_entries (user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
);

/**
 * Posts one ledger entry and moves the cached balance with it, inside the caller's transaction.
 * The balance never goes below zero (the conditional update), and an entry key already posted
 * changes nothing.
 */
export async function postLedgerEntry(tx: Queryable, entry: LedgerEntryInput): Promise<LedgerPosting> {
  const updated = await tx.get<{ balance: bigint }>(applyToBalance, [
    entry.amount,
    entry.userId,
    entry.amount,
  ]);
  if (!updated) return { status: 'insufficient' };
  const inserted = await tx.get<{ id: bigint }>(insertEntry, [
    entry.userId,
    entry.amount,
    entry.kind,
    entry.entryKey,
    entry.orderId,
    entry.memo,
    updated.balance,
    entry.now,
  ]);
  if (!inserted) {
    await tx.run(revertBalance, [entry.amount, entry.userId]);
    return { status: 'duplicate' };
  }
  return { status: 'posted', balance: updated.balance };
}

export interface LedgerEntryRow {
  id: bigint;
  user_id: bigint;
  amount: bigint;
  kind: LedgerKind;
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

const selectMismatches = sql(
  `SELECT u.id AS user_id, u.balance, CAST(COALESCE(SUM(l.amount), 0) AS BIGINT) AS ledger_sum
   FROM users u LEFT JOIN ledger_entries l ON l.user_id = u.id
   GROUP BY u.id, u.balance
   HAVING u.balance <> CAST(COALESCE(SUM(l.amount), 0) AS BIGINT) OR u.balance < 0`,
);

/** Users whose cached balance differs from their ledger sum, or is negative: must always be none. */
export function findLedgerMismatches(
  q: Queryable,
): Promise<{ user_id: bigint; balance: bigint; ledger_sum: bigint }[]> {
  return q.all(selectMismatches);
}
