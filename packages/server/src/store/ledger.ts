import { type LedgerKind, mayGoBelowZero, readLedgerKind } from '../domain/ledger.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';

export interface NewLedgerEntry {
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
  | {
      readonly status: 'posted';
      readonly balance: bigint;
      /** The owner's `balance.low` threshold, read with the balance (null: none set). */
      readonly lowBalanceThreshold: bigint | null;
    }
  | { readonly status: 'insufficient' }
  | { readonly status: 'duplicate' };

const applyToBalance = sql(
  'UPDATE users SET balance = balance + ? WHERE id = ? AND balance + ? >= 0 RETURNING balance, low_balance_threshold',
);
const applyBelowZero = sql(
  'UPDATE users SET balance = balance + ? WHERE id = ? RETURNING balance, low_balance_threshold',
);
const revertBalance = sql('UPDATE users SET balance = balance - ? WHERE id = ?');
const insertEntry = sql(
  `INSERT INTO ledger_entries (user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
);

interface BalanceRow {
  balance: bigint;
  low_balance_threshold: bigint | null;
}

/**
 * Posts one ledger entry and moves the cached balance with it, inside the caller's transaction.
 * The balance never goes below zero (the conditional update) but by a chargeback, and an entry key
 * already posted changes nothing.
 */
export async function postLedgerEntry(tx: Queryable, entry: NewLedgerEntry): Promise<LedgerPosting> {
  const updated = mayGoBelowZero(entry.kind)
    ? await tx.get<BalanceRow>(applyBelowZero, [entry.amount, entry.userId])
    : await tx.get<BalanceRow>(applyToBalance, [entry.amount, entry.userId, entry.amount]);
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
  return {
    status: 'posted',
    balance: updated.balance,
    lowBalanceThreshold: updated.low_balance_threshold,
  };
}

/** One posted entry, as the balance history and an order's money show it. */
export interface LedgerEntry {
  readonly id: number;
  readonly userId: number;
  /** Signed, as posted. */
  readonly amount: bigint;
  readonly kind: LedgerKind;
  readonly entryKey: string;
  readonly orderId: number | null;
  readonly memo: string | null;
  readonly balanceAfter: bigint;
  readonly createdAt: number;
}

interface LedgerEntryRow {
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

function toLedgerEntry(row: LedgerEntryRow): LedgerEntry {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    amount: row.amount,
    kind: readLedgerKind(row.kind),
    entryKey: row.entry_key,
    orderId: numberOrNull(row.order_id),
    memo: row.memo,
    balanceAfter: row.balance_after,
    createdAt: Number(row.created_at),
  };
}

const ENTRY_COLUMNS = 'id, user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at';
const selectOrderEntries = sql(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE order_id = ? ORDER BY id`);

/** The entries an order caused (its charge, its refunds), oldest first. */
export async function findLedgerEntriesForOrder(q: Queryable, orderId: number): Promise<LedgerEntry[]> {
  return (await q.all<LedgerEntryRow>(selectOrderEntries, [orderId])).map(toLedgerEntry);
}

const selectEntriesOfUser = sql(
  `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`,
);
const countEntriesOfUser = sql('SELECT COUNT(*) AS count FROM ledger_entries WHERE user_id = ?');

/** One page of a user's balance history, newest first, and how many entries there are in all. */
export async function listLedgerOfUser(
  q: Queryable,
  userId: number,
  page: { limit: number; offset: number },
): Promise<{ entries: LedgerEntry[]; total: number }> {
  const [rows, count] = await Promise.all([
    q.all<LedgerEntryRow>(selectEntriesOfUser, [userId, page.limit, page.offset]),
    q.get<{ count: bigint }>(countEntriesOfUser, [userId]),
  ]);
  return { entries: rows.map(toLedgerEntry), total: Number(count?.count ?? 0n) };
}

const selectMismatches = sql(
  `SELECT u.id AS user_id, u.balance, CAST(COALESCE(SUM(l.amount), 0) AS BIGINT) AS ledger_sum
   FROM users u LEFT JOIN ledger_entries l ON l.user_id = u.id
   GROUP BY u.id, u.balance
   HAVING u.balance <> CAST(COALESCE(SUM(l.amount), 0) AS BIGINT)
     OR (u.balance < 0 AND SUM(CASE WHEN l.kind = 'chargeback' THEN 1 ELSE 0 END) = 0)`,
);

/**
 * A user whose cached balance differs from their ledger sum, or is negative without a chargeback
 * (the one entry that may take a balance below zero).
 */
export interface LedgerMismatch {
  readonly userId: number;
  readonly balance: bigint;
  readonly ledgerSum: bigint;
}

/** Must always be none: checked after every integration test and every bench run. */
export async function findLedgerMismatches(q: Queryable): Promise<LedgerMismatch[]> {
  const rows = await q.all<{ user_id: bigint; balance: bigint; ledger_sum: bigint }>(selectMismatches);
  return rows.map((row) => ({
    userId: Number(row.user_id),
    balance: row.balance,
    ledgerSum: row.ledger_sum,
  }));
}
