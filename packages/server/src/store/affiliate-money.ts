import {
  type CommissionKind,
  type PayoutMethod,
  type PayoutStatus,
  readCommissionKind,
  readPayoutMethod,
  readPayoutStatus,
} from '../domain/affiliates.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** One commission row: earned on a referred customer's paid deposit, or its reversal (negative). */
export interface Commission {
  readonly id: number;
  readonly affiliateId: number;
  readonly customerId: number;
  readonly customerName: string;
  readonly depositId: number;
  readonly kind: CommissionKind;
  /** The deposit's credited amount the commission was taken on. */
  readonly base: bigint;
  readonly rateBps: number;
  /** Signed: positive earned, negative reversed. */
  readonly amount: bigint;
  readonly entryKey: string;
  readonly createdAt: number;
}

interface CommissionRow {
  id: bigint;
  affiliate_id: bigint;
  customer_id: bigint;
  customer_name: string;
  deposit_id: bigint;
  kind: string;
  base: bigint;
  rate_bps: bigint;
  amount: bigint;
  entry_key: string;
  created_at: bigint;
}

function toCommission(row: CommissionRow): Commission {
  return {
    id: Number(row.id),
    affiliateId: Number(row.affiliate_id),
    customerId: Number(row.customer_id),
    customerName: row.customer_name,
    depositId: Number(row.deposit_id),
    kind: readCommissionKind(row.kind),
    base: row.base,
    rateBps: Number(row.rate_bps),
    amount: row.amount,
    entryKey: row.entry_key,
    createdAt: Number(row.created_at),
  };
}

export type NewCommission = Omit<Commission, 'id' | 'customerName' | 'createdAt'> & { readonly now: number };

const insertCommissionSql = sql(
  `INSERT INTO affiliate_commissions
     (affiliate_id, customer_id, deposit_id, kind, base, rate_bps, amount, entry_key, created_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
);
const COMMISSION_COLUMNS = `c.id, c.affiliate_id, c.customer_id, u.username AS customer_name, c.deposit_id, c.kind,
  c.base, c.rate_bps, c.amount, c.entry_key, c.created_at`;
const selectByKey = sql(
  `SELECT ${COMMISSION_COLUMNS} FROM affiliate_commissions c JOIN users u ON u.id = c.customer_id
   WHERE c.entry_key = ?`,
);
const selectOfAffiliate = sql(
  `SELECT ${COMMISSION_COLUMNS} FROM affiliate_commissions c JOIN users u ON u.id = c.customer_id
   WHERE c.affiliate_id = ? ORDER BY c.id DESC LIMIT ?`,
);

/** Inserts a commission row under its unique key; false: that key was posted already. */
export async function insertCommission(q: Queryable, commission: NewCommission): Promise<boolean> {
  const row = await q.get<{ id: bigint }>(insertCommissionSql, [
    commission.affiliateId,
    commission.customerId,
    commission.depositId,
    commission.kind,
    commission.base,
    commission.rateBps,
    commission.amount,
    commission.entryKey,
    commission.now,
  ]);
  return row !== undefined;
}

export async function findCommissionByKey(q: Queryable, entryKey: string): Promise<Commission | undefined> {
  const row = await q.get<CommissionRow>(selectByKey, [entryKey]);
  return row && toCommission(row);
}

/** An affiliate's latest commissions and reversals, newest first. */
export async function listCommissions(
  q: Queryable,
  affiliateId: number,
  limit: number,
): Promise<Commission[]> {
  return (await q.all<CommissionRow>(selectOfAffiliate, [affiliateId, limit])).map(toCommission);
}

/** A payout: the affiliate's available commission, to their balance (paid at once) or by hand. */
export interface Payout {
  readonly id: number;
  readonly affiliateId: number;
  readonly affiliateName: string;
  readonly amount: bigint;
  readonly method: PayoutMethod;
  readonly status: PayoutStatus;
  readonly payoutKey: string;
  readonly createdAt: number;
  readonly paidAt: number | null;
}

interface PayoutRow {
  id: bigint;
  affiliate_id: bigint;
  affiliate_name: string;
  amount: bigint;
  method: string;
  status: string;
  payout_key: string;
  created_at: bigint;
  paid_at: bigint | null;
}

function toPayout(row: PayoutRow): Payout {
  return {
    id: Number(row.id),
    affiliateId: Number(row.affiliate_id),
    affiliateName: row.affiliate_name,
    amount: row.amount,
    method: readPayoutMethod(row.method),
    status: readPayoutStatus(row.status),
    payoutKey: row.payout_key,
    createdAt: Number(row.created_at),
    paidAt: numberOrNull(row.paid_at),
  };
}

const PAYOUT_COLUMNS = `p.id, p.affiliate_id, u.username AS affiliate_name, p.amount, p.method, p.status,
  p.payout_key, p.created_at, p.paid_at`;
const insertPayoutSql = sql(
  `INSERT INTO affiliate_payouts (affiliate_id, amount, method, status, payout_key, created_at, paid_at)
   VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
);
const selectPayout = sql(
  `SELECT ${PAYOUT_COLUMNS} FROM affiliate_payouts p JOIN users u ON u.id = p.affiliate_id WHERE p.id = ?`,
);
const selectPayoutsOfAffiliate = sql(
  `SELECT ${PAYOUT_COLUMNS} FROM affiliate_payouts p JOIN users u ON u.id = p.affiliate_id
   WHERE p.affiliate_id = ? ORDER BY p.id DESC LIMIT ?`,
);
const selectPayoutsByStatus = sql(
  `SELECT ${PAYOUT_COLUMNS} FROM affiliate_payouts p JOIN users u ON u.id = p.affiliate_id
   WHERE p.status = ? ORDER BY p.id LIMIT ?`,
);
const markPaidSql = sql(
  "UPDATE affiliate_payouts SET status = 'paid', paid_at = ? WHERE id = ? AND status = 'requested'",
);
const sumPaidSql = sql(
  `SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS total FROM affiliate_payouts
   WHERE affiliate_id = ? AND status = 'paid'`,
);

export async function insertPayout(
  q: Queryable,
  payout: {
    affiliateId: number;
    amount: bigint;
    method: PayoutMethod;
    status: PayoutStatus;
    payoutKey: string;
    now: number;
  },
): Promise<number> {
  const row = await q.get<{ id: bigint }>(insertPayoutSql, [
    payout.affiliateId,
    payout.amount,
    payout.method,
    payout.status,
    payout.payoutKey,
    payout.now,
    payout.status === 'paid' ? payout.now : null,
  ]);
  if (!row) throw new Error('affiliate payout not inserted');
  return Number(row.id);
}

export async function findPayout(q: Queryable, id: number): Promise<Payout | undefined> {
  const row = await q.get<PayoutRow>(selectPayout, [id]);
  return row && toPayout(row);
}

export async function listPayoutsOfAffiliate(
  q: Queryable,
  affiliateId: number,
  limit: number,
): Promise<Payout[]> {
  return (await q.all<PayoutRow>(selectPayoutsOfAffiliate, [affiliateId, limit])).map(toPayout);
}

/** Payouts in a status, oldest first (the admin's queue of requests to pay by hand). */
export async function listPayoutsByStatus(
  q: Queryable,
  status: PayoutStatus,
  limit: number,
): Promise<Payout[]> {
  return (await q.all<PayoutRow>(selectPayoutsByStatus, [status, limit])).map(toPayout);
}

/** A requested payout becomes paid (compare-and-set); false: it was not waiting. */
export async function markPayoutPaid(q: Queryable, id: number, now: number): Promise<boolean> {
  return (await q.run(markPaidSql, [now, id])) > 0;
}

/** What an affiliate has been paid: payouts to the balance and those the admin marked paid. */
export async function sumPaidOut(q: Queryable, affiliateId: number): Promise<bigint> {
  const row = await q.get<{ total: bigint | number | string }>(sumPaidSql, [affiliateId]);
  return BigInt(row?.total ?? 0);
}
