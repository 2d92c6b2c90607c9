import { numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** What an affiliate's referrals came to: sign-ups, and those of them with a paid deposit. */
export interface ReferralCounts {
  readonly signups: number;
  readonly payingCustomers: number;
}

const selectCounts = sql(
  `SELECT
     (SELECT COUNT(*) FROM referrals WHERE affiliate_id = ?) AS signups,
     (SELECT COUNT(DISTINCT d.user_id) FROM deposits d JOIN referrals r ON r.user_id = d.user_id
       WHERE r.affiliate_id = ? AND d.status = 'paid') AS paying`,
);

export async function countReferrals(q: Queryable, affiliateId: number): Promise<ReferralCounts> {
  const row = await q.get<{ signups: bigint; paying: bigint }>(selectCounts, [affiliateId, affiliateId]);
  return { signups: Number(row?.signups ?? 0n), payingCustomers: Number(row?.paying ?? 0n) };
}

/** One affiliate as the admin's list shows them. */
export interface AffiliateListing {
  readonly userId: number;
  readonly username: string;
  readonly code: string;
  readonly commissionBps: number | null;
  readonly visits: number;
  readonly signups: number;
  readonly earned: bigint;
  readonly withdrawn: bigint;
}

interface AffiliateListingRow {
  user_id: bigint;
  username: string;
  code: string;
  commission_bps: bigint | null;
  visits: bigint;
  signups: bigint;
  earned: bigint;
  withdrawn: bigint;
}

const selectListing = sql(
  `SELECT a.user_id, u.username, a.code, a.commission_bps, a.visits, a.earned, a.withdrawn,
     (SELECT COUNT(*) FROM referrals r WHERE r.affiliate_id = a.user_id) AS signups
   FROM affiliates a JOIN users u ON u.id = a.user_id
   ORDER BY a.earned DESC, a.user_id LIMIT ? OFFSET ?`,
);

const countAffiliatesSql = sql('SELECT COUNT(*) AS count FROM affiliates');

/** A page of affiliates, the highest earners first, and how many there are in all. */
export async function listAffiliates(
  q: Queryable,
  page: { limit: number; offset: number },
): Promise<{ affiliates: AffiliateListing[]; total: number }> {
  const [rows, count] = await Promise.all([
    q.all<AffiliateListingRow>(selectListing, [page.limit, page.offset]),
    q.get<{ count: bigint }>(countAffiliatesSql),
  ]);
  const affiliates = rows.map((row) => ({
    userId: Number(row.user_id),
    username: row.username,
    code: row.code,
    commissionBps: numberOrNull(row.commission_bps),
    visits: Number(row.visits),
    signups: Number(row.signups),
    earned: row.earned,
    withdrawn: row.withdrawn,
  }));
  return { affiliates, total: Number(count?.count ?? 0n) };
}
