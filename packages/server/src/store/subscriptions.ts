import {
  type KindAndStatus,
  OPEN_SUBSCRIPTION_STATUSES,
  type SubscriptionStatus,
  readKindAndStatus,
} from '../domain/order-status.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, sql, sqlByDialect, sqlList } from './database.js';
import { ORDER_COLUMNS, type Order, type OrderRow, toOrder } from './order-row.js';

/**
 * A subscription (an `orders` row of kind 'subscription') as posting reads it. Read by id, the row
 * may turn out to be another kind: the caller checks `kind` (which also types `status`).
 */
export type SubscriptionPosting = SubscriptionPostingFields & KindAndStatus;

export interface SubscriptionPostingFields {
  readonly id: number;
  readonly userId: number;
  readonly serviceId: number;
  readonly rate: bigint;
  /** The terms `add` stored (JSON): `postingTermsOf` reads them. */
  readonly details: string;
  /** The start of the expiry day (UTC), if it has one. */
  readonly expiresAt: number | null;
  /** Posts recorded (or asked for as old posts) still waiting for a child order. */
  readonly unpaidPosts: number;
  /** Forwarded to a provider: its posts are read from there, not recorded here. */
  readonly providerId: number | null;
}

interface SubscriptionPostingRow {
  id: bigint;
  kind: string;
  user_id: bigint;
  service_id: bigint;
  status: string;
  rate: bigint;
  details: string;
  expires_at: bigint | null;
  unpaid_posts: bigint;
  provider_id: bigint | null;
}

function toSubscriptionPosting(row: SubscriptionPostingRow): SubscriptionPosting {
  return {
    id: Number(row.id),
    ...readKindAndStatus(row.kind, row.status),
    userId: Number(row.user_id),
    serviceId: Number(row.service_id),
    rate: row.rate,
    details: row.details,
    expiresAt: numberOrNull(row.expires_at),
    unpaidPosts: Number(row.unpaid_posts),
    providerId: numberOrNull(row.provider_id),
  };
}

const COLUMNS = 'id, kind, user_id, service_id, status, rate, details, expires_at, unpaid_posts, provider_id';
const OPEN = sqlList(OPEN_SUBSCRIPTION_STATUSES);

// Everyone who creates a subscription's posts holds its row until commit, so post numbers are
// handed out one at a time. NO KEY UPDATE is the lock an UPDATE takes: it stops other writers, not
// inserts that merely reference the row. SQLite needs no clause: one write transaction at a time.
const lockOrderSql = sqlByDialect({
  sqlite: `SELECT ${COLUMNS} FROM orders WHERE id = ?`,
  postgres: `SELECT ${COLUMNS} FROM orders WHERE id = ? FOR NO KEY UPDATE`,
});
// SKIP LOCKED: concurrent dispatchers each take a different subscription instead of queueing.
const claimWithUnpaidPostsSql = sqlByDialect({
  sqlite: `SELECT ${COLUMNS} FROM orders
           WHERE kind = 'subscription' AND status IN (${OPEN}) AND unpaid_posts > 0
             AND (expires_at IS NULL OR expires_at > ?) AND id > ?
           ORDER BY id LIMIT 1`,
  postgres: `SELECT ${COLUMNS} FROM orders
             WHERE kind = 'subscription' AND status IN (${OPEN}) AND unpaid_posts > 0
               AND (expires_at IS NULL OR expires_at > ?) AND id > ?
             ORDER BY id LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED`,
});
const selectPostCountsSql = sql(
  'SELECT COUNT(*) AS created, COALESCE(MAX(run_number), 0) AS last_run FROM orders WHERE parent_id = ?',
);
// Held with the subscription, so the balance a post is checked against is the one it is charged from.
const lockBalanceSql = sqlByDialect({
  sqlite: 'SELECT balance FROM users WHERE id = ?',
  postgres: 'SELECT balance FROM users WHERE id = ? FOR NO KEY UPDATE',
});
const updatePostingSql = sql(
  `UPDATE orders SET status = ?, unpaid_posts = ?, completed_at = ?, updated_at = ?
   WHERE id = ? AND kind = 'subscription' AND status = ? AND unpaid_posts = ?`,
);
const cancelSql = sql(
  `UPDATE orders SET status = 'canceled', unpaid_posts = 0, updated_at = ?
   WHERE id = ? AND kind = 'subscription' AND status = ?`,
);
const selectPendingPostsSql = sql(
  `SELECT ${ORDER_COLUMNS} FROM orders WHERE parent_id = ? AND status = 'pending' ORDER BY id`,
);
const expireSql = sqlByDialect({
  sqlite: `UPDATE orders SET status = 'expired', updated_at = ?
           WHERE kind = 'subscription' AND status IN (SELECT value FROM json_each(?)) AND expires_at <= ?`,
  postgres: `UPDATE orders SET status = 'expired', updated_at = ?
             WHERE kind = 'subscription' AND status = ANY(?::text[]) AND expires_at <= ?`,
});

/** Reads an order and, on PostgreSQL, locks it until the transaction ends. */
export async function lockSubscription(tx: Queryable, id: number): Promise<SubscriptionPosting | undefined> {
  const row = await tx.get<SubscriptionPostingRow>(lockOrderSql, [id]);
  return row && toSubscriptionPosting(row);
}

/**
 * The next open, unexpired subscription after `afterId` with posts waiting for a child order,
 * locked for this transaction; one another dispatcher holds is skipped.
 */
export async function claimSubscriptionWithUnpaidPosts(
  tx: Queryable,
  afterId: number,
  now: number,
): Promise<SubscriptionPosting | undefined> {
  const row = await tx.get<SubscriptionPostingRow>(claimWithUnpaidPostsSql, [now, afterId]);
  return row && toSubscriptionPosting(row);
}

/** How many posts have a child order, and the highest post number handed out. */
export async function findPostCounts(
  tx: Queryable,
  subscriptionId: number,
): Promise<{ created: number; lastRun: number }> {
  const row = await tx.get<{ created: bigint; last_run: bigint }>(selectPostCountsSql, [subscriptionId]);
  return { created: Number(row?.created ?? 0n), lastRun: Number(row?.last_run ?? 0n) };
}

/** The user's balance, locked (PostgreSQL) until the transaction ends. */
export async function lockBalance(tx: Queryable, userId: number): Promise<bigint> {
  const row = await tx.get<{ balance: bigint }>(lockBalanceSql, [userId]);
  if (!row) throw new Error(`user ${userId} vanished`);
  return row.balance;
}

export interface PostingChange {
  readonly id: number;
  readonly from: { readonly status: SubscriptionStatus; readonly unpaidPosts: number };
  readonly to: { readonly status: SubscriptionStatus; readonly unpaidPosts: number };
  readonly completedAt: number | null;
  readonly now: number;
}

/** Compare-and-set on the old status and unpaid count: false when someone else changed it first. */
export async function updateSubscriptionPosting(tx: Queryable, change: PostingChange): Promise<boolean> {
  const changed = await tx.run(updatePostingSql, [
    change.to.status,
    change.to.unpaidPosts,
    change.completedAt,
    change.now,
    change.id,
    change.from.status,
    change.from.unpaidPosts,
  ]);
  return changed === 1;
}

/**
 * Cancels a subscription, compare-and-set on its old status, and drops the posts still waiting for
 * a child order (none is created for it any more); false when someone else changed it first.
 */
export async function cancelSubscriptionRow(
  tx: Queryable,
  id: number,
  from: SubscriptionStatus,
  now: number,
): Promise<boolean> {
  return (await tx.run(cancelSql, [now, id, from])) === 1;
}

/** A subscription's child orders still Pending, oldest first. */
export async function findPendingPosts(tx: Queryable, subscriptionId: number): Promise<Order[]> {
  return (await tx.all<OrderRow>(selectPendingPostsSql, [subscriptionId])).map(toOrder);
}

/** Moves every subscription in one of `from` whose expiry has come to 'expired'; resolves to how many. */
export function expireDueSubscriptions(
  tx: Queryable,
  from: readonly SubscriptionStatus[],
  now: number,
): Promise<number> {
  const statuses = tx.dialect === 'sqlite' ? JSON.stringify(from) : `{${from.join(',')}}`;
  return tx.run(expireSql, [now, statuses, now]);
}
