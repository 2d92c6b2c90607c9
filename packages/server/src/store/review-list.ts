import { type KindAndStatus, readKindAndStatus } from '../domain/order-status.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';
import { enters, leaves } from './dispatch-claims.js';

/**
 * The review list: orders whose fate at their provider waits for a human (an unknown outcome at a
 * provider that does not replay request_id, a refusal held by the provider's policy, retries given
 * up), and the owner's ways out of it that only this list offers: link the provider's order, or
 * take the order over by hand. Resending and canceling are moves of the dispatch claims.
 */
export type OrderInReview = OrderInReviewFields & KindAndStatus;

export interface OrderInReviewFields {
  readonly id: number;
  readonly userId: number;
  readonly username: string;
  readonly serviceId: number;
  readonly providerId: number | null;
  readonly providerName: string | null;
  readonly attempts: number;
  /** Why it waits: the last failure, worded for the owner. */
  readonly reason: string | null;
  readonly createdAt: number;
  /** When it entered the list (its last change). */
  readonly updatedAt: number;
}

interface OrderInReviewRow {
  id: bigint;
  user_id: bigint;
  username: string;
  service_id: bigint;
  provider_id: bigint | null;
  provider_name: string | null;
  kind: string;
  status: string;
  dispatch_attempts: bigint;
  dispatch_error: string | null;
  created_at: bigint;
  updated_at: bigint;
}

function toOrderInReview(row: OrderInReviewRow): OrderInReview {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    username: row.username,
    serviceId: Number(row.service_id),
    providerId: numberOrNull(row.provider_id),
    providerName: row.provider_name,
    ...readKindAndStatus(row.kind, row.status),
    attempts: Number(row.dispatch_attempts),
    reason: row.dispatch_error,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const selectReviewSql = sql(
  `SELECT o.id, o.user_id, u.username, o.service_id, o.provider_id, p.name AS provider_name, o.kind, o.status,
     o.dispatch_attempts, o.dispatch_error, o.created_at, o.updated_at
   FROM orders o JOIN users u ON u.id = o.user_id LEFT JOIN providers p ON p.id = o.provider_id
   WHERE o.dispatch_state = ${enters('holdForReview')} ORDER BY o.id LIMIT ?`,
);

/** Oldest first. */
export async function listReview(q: Queryable, limit: number): Promise<OrderInReview[]> {
  return (await q.all<OrderInReviewRow>(selectReviewSql, [limit])).map(toOrderInReview);
}

const linkProviderOrderSql = sql(
  `UPDATE orders SET dispatch_state = ${enters('linkProviderOrder')}, provider_order_id = ?, dispatch_error = NULL,
     next_sync_at = ?, updated_at = ?
   WHERE id = ? AND ${leaves('dispatch_state', 'linkProviderOrder')}`,
);
const takeOverSql = sql(
  `UPDATE orders SET dispatch_state = ${enters('takeOver')}, dispatch_error = NULL, next_sync_at = NULL,
     updated_at = ?
   WHERE id = ? AND ${leaves('dispatch_state', 'takeOver')}`,
);

/** The owner fulfils the order by hand from now on (`order update` moves it along). */
export async function takeOverOrder(q: Queryable, id: number, now: number): Promise<boolean> {
  return (await q.run(takeOverSql, [now, id])) === 1;
}

/** The admin found the order at the provider: link it, and sync follows it from now on. */
export async function linkProviderOrder(
  q: Queryable,
  link: { id: number; providerOrderId: string; now: number },
): Promise<boolean> {
  return (await q.run(linkProviderOrderSql, [link.providerOrderId, link.now, link.now, link.id])) === 1;
}
