import {
  ORDER_STATUSES,
  SUBSCRIPTION_STATUSES,
  orderStatusLabel,
  subscriptionStatusLabel,
} from '../../domain/order-status.js';
import { countOrdersByStatus as countByStoredStatus } from '../../store/order-listing.js';
import type { Context } from '../context.js';

/**
 * The labels a status filter accepts, in the order the Orders page's tabs show them: the order
 * statuses, then the subscription statuses they do not already name ("Completed" and "Canceled"
 * filter both kinds, so they count both).
 */
const LABELS = [
  ...new Set([
    ...ORDER_STATUSES.map(orderStatusLabel),
    ...SUBSCRIPTION_STATUSES.map(subscriptionStatusLabel),
  ]),
];

/**
 * A customer's top-level orders (or everyone's, without `userId`) by status label, every label
 * listed (0 included), with the same search as the list: the counts of the Orders page's tabs.
 */
export async function countOrdersByStatus(
  ctx: Context,
  query: { readonly userId?: number | undefined; readonly search?: string | undefined },
): Promise<{ status: string; count: number }[]> {
  const rows = await countByStoredStatus(ctx.db, {
    userId: query.userId,
    search: query.search?.trim().slice(0, 200),
  });
  const counts = new Map<string, number>(LABELS.map((label) => [label, 0]));
  for (const row of rows) {
    const label =
      row.kind === 'subscription' ? subscriptionStatusLabel(row.status) : orderStatusLabel(row.status);
    counts.set(label, (counts.get(label) ?? 0) + row.count);
  }
  return [...counts].map(([status, count]) => ({ status, count }));
}
