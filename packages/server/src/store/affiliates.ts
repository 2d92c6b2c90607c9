import { numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** A customer's side of the affiliate programme: their code, override, visits and running totals. */
export interface Affiliate {
  readonly userId: number;
  readonly code: string;
  /** The commission override in basis points; null: the panel's setting. */
  readonly commissionBps: number | null;
  readonly visits: number;
  /** Commissions net of reversals (may fall below what was withdrawn after a late refund). */
  readonly earned: bigint;
  /** Payouts requested (to the balance, or by hand whether or not marked paid yet). */
  readonly withdrawn: bigint;
  readonly createdAt: number;
}

interface AffiliateRow {
  user_id: bigint;
  code: string;
  commission_bps: bigint | null;
  visits: bigint;
  earned: bigint;
  withdrawn: bigint;
  created_at: bigint;
}

function toAffiliate(row: AffiliateRow): Affiliate {
  return {
    userId: Number(row.user_id),
    code: row.code,
    commissionBps: numberOrNull(row.commission_bps),
    visits: Number(row.visits),
    earned: row.earned,
    withdrawn: row.withdrawn,
    createdAt: Number(row.created_at),
  };
}

const COLUMNS = 'user_id, code, commission_bps, visits, earned, withdrawn, created_at';
const insertAffiliateSql = sql(
  'INSERT INTO affiliates (user_id, code, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
);
const selectByUser = sql(`SELECT ${COLUMNS} FROM affiliates WHERE user_id = ?`);
const selectByCode = sql(`SELECT ${COLUMNS} FROM affiliates WHERE code = ?`);
const incrementVisits = sql('UPDATE affiliates SET visits = visits + 1 WHERE code = ?');
const updateOverride = sql('UPDATE affiliates SET commission_bps = ? WHERE user_id = ?');
const addEarned = sql('UPDATE affiliates SET earned = earned + ? WHERE user_id = ?');
const withdrawSql = sql(
  'UPDATE affiliates SET withdrawn = withdrawn + ? WHERE user_id = ? AND withdrawn = ? AND earned - withdrawn >= ?',
);

/** Inserts the user's affiliate row with this code; a user who has one already keeps theirs. */
export async function insertAffiliate(
  q: Queryable,
  userId: number,
  code: string,
  now: number,
): Promise<void> {
  await q.run(insertAffiliateSql, [userId, code, now]);
}

export async function findAffiliate(q: Queryable, userId: number): Promise<Affiliate | undefined> {
  const row = await q.get<AffiliateRow>(selectByUser, [userId]);
  return row && toAffiliate(row);
}

export async function findAffiliateByCode(q: Queryable, code: string): Promise<Affiliate | undefined> {
  const row = await q.get<AffiliateRow>(selectByCode, [code]);
  return row && toAffiliate(row);
}

/** Counts one visit of a code's link; false: no such code. */
export async function recordVisit(q: Queryable, code: string): Promise<boolean> {
  return (await q.run(incrementVisits, [code])) > 0;
}

export async function setCommissionOverride(
  q: Queryable,
  userId: number,
  commissionBps: number | null,
): Promise<boolean> {
  return (await q.run(updateOverride, [commissionBps, userId])) > 0;
}

/** Moves the earned total with a commission row just inserted (or its reversal), in its transaction. */
export async function addToEarned(q: Queryable, userId: number, amount: bigint): Promise<void> {
  await q.run(addEarned, [amount, userId]);
}

/**
 * Withdraws `amount` if the withdrawn total is still `withdrawnBefore` (compare-and-set) and
 * the available commission still covers it: of many racing requests that read the same totals,
 * one withdraws.
 */
export async function withdraw(
  q: Queryable,
  userId: number,
  amount: bigint,
  withdrawnBefore: bigint,
): Promise<boolean> {
  return (await q.run(withdrawSql, [amount, userId, withdrawnBefore, amount])) > 0;
}

const insertReferralSql = sql(
  'INSERT INTO referrals (user_id, affiliate_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
);
const selectReferrer = sql('SELECT affiliate_id FROM referrals WHERE user_id = ?');

/** Records who referred a customer; false: they were referred already (the first attribution stays). */
export async function insertReferral(
  q: Queryable,
  referral: { userId: number; affiliateId: number; now: number },
): Promise<boolean> {
  return (await q.run(insertReferralSql, [referral.userId, referral.affiliateId, referral.now])) > 0;
}

/** Who referred this customer; null: nobody. */
export async function findReferrer(q: Queryable, userId: number): Promise<number | null> {
  const row = await q.get<{ affiliate_id: bigint }>(selectReferrer, [userId]);
  return row ? Number(row.affiliate_id) : null;
}

/** The user's referrer, theirs, and so on, up to `max` steps (stopping at a repeat). */
export async function findReferrerChain(q: Queryable, userId: number, max: number): Promise<number[]> {
  const chain: number[] = [];
  let current = userId;
  while (chain.length < max) {
    const next = await findReferrer(q, current);
    if (next === null || chain.includes(next)) break;
    chain.push(next);
    current = next;
  }
  return chain;
}
