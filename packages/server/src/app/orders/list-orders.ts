import { type Result, fail, ok } from '../../domain/errors.js';
import { parseOrderStatus, parseSubscriptionStatus } from '../../domain/order-status.js';
import { listOrders as selectOrders } from '../../store/order-listing.js';
import { findUserByUsername } from '../../store/users.js';
import type { Context } from '../context.js';
import { type OrderRecord, orderRecord } from './order-record.js';

export const MAX_LIST_LIMIT = 1000;

/** A status filter matches order statuses ("In progress") and subscription ones ("Active"). */
function parseStatusFilter(text: string): string | null {
  return parseSubscriptionStatus(text) ?? parseOrderStatus(text);
}

export async function listOrders(
  ctx: Context,
  filter: {
    status?: string | undefined;
    username?: string | undefined;
    /** Only orders whose customer asked to cancel, awaiting the admin's decision. */
    cancelRequested?: boolean | undefined;
    limit?: number | undefined;
  },
): Promise<Result<OrderRecord[]>> {
  const limit = filter.limit ?? 50;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    return fail({ code: 'INVALID_INPUT', field: 'limit', reason: `between 1 and ${MAX_LIST_LIMIT}` });
  }
  let status: string | undefined;
  if (filter.status !== undefined) {
    const parsed = parseStatusFilter(filter.status);
    if (parsed === null) {
      return fail({
        code: 'INVALID_INPUT',
        field: 'status',
        reason: 'an order or subscription status, e.g. "In progress"',
      });
    }
    status = parsed;
  }
  let userId: number | undefined;
  if (filter.username !== undefined) {
    const user = await findUserByUsername(ctx.db, filter.username);
    if (!user) return fail({ code: 'USER_NOT_FOUND', username: filter.username });
    userId = user.id;
  }
  const rows = await selectOrders(ctx.db, { status, userId, cancelRequested: filter.cancelRequested, limit });
  return ok(rows.map(orderRecord));
}
