import { type Queryable, sql, sqlByDialect, textArray } from './database.js';
import { enters } from './dispatch-claims.js';

/**
 * Our orders' ids at their providers: one provider order is ours at most once (a unique index),
 * which is what these reads look up before linking one.
 */
const selectByProviderOrderSql = sql('SELECT id FROM orders WHERE provider_id = ? AND provider_order_id = ?');
const selectKnownProviderOrdersSql = sqlByDialect({
  sqlite: `SELECT provider_order_id FROM orders
           WHERE provider_id = ? AND provider_order_id IN (SELECT value FROM json_each(?))`,
  postgres:
    'SELECT provider_order_id FROM orders WHERE provider_id = ? AND provider_order_id = ANY(?::text[])',
});
const linkForwardedPostSql = sql(
  `UPDATE orders SET provider_id = ?, provider_order_id = ?, dispatch_state = ${enters('linkForwardedPost')},
     next_sync_at = ?, updated_at = ?
   WHERE id = ? AND provider_order_id IS NULL`,
);

/** Our order already linked to this provider order, if any. */
export async function findByProviderOrder(
  q: Queryable,
  providerId: number,
  providerOrderId: string,
): Promise<number | null> {
  const row = await q.get<{ id: bigint }>(selectByProviderOrderSql, [providerId, providerOrderId]);
  return row ? Number(row.id) : null;
}

/** Which of these provider order ids are linked to one of our orders already. */
export async function findKnownProviderOrders(
  q: Queryable,
  providerId: number,
  providerOrderIds: readonly string[],
): Promise<string[]> {
  if (providerOrderIds.length === 0) return [];
  const rows = await q.all<{ provider_order_id: string }>(selectKnownProviderOrdersSql, [
    providerId,
    textArray(q, providerOrderIds),
  ]);
  return rows.map((row) => row.provider_order_id);
}

/**
 * A post the provider made for a forwarded subscription, just created here as a child order: it is
 * the provider's order already, so sync follows it from now on.
 */
export async function linkForwardedPost(
  q: Queryable,
  post: { id: number; providerId: number; providerOrderId: string; now: number },
): Promise<void> {
  const changed = await q.run(linkForwardedPostSql, [
    post.providerId,
    post.providerOrderId,
    post.now,
    post.now,
    post.id,
  ]);
  if (changed !== 1) throw new Error(`post ${post.id} was linked already`);
}
