import { fail, ok } from '../../domain/errors.js';
import { type RefillStatus, parseRefillStatus, refillStatusLabel } from '../../domain/order-status.js';
import { queryRefills } from '../../store/web-listings.js';
import type { Context } from '../context.js';

export const REFILLS_PAGE_SIZE = 50;

/** Refills newest first: one customer's (userId set) or everyone's (admin). */
export async function listRefillPage(
  ctx: Context,
  query: { userId?: number | undefined; status?: string | undefined; page?: number | undefined },
) {
  const page = query.page ?? 1;
  if (!Number.isSafeInteger(page) || page < 1 || page > 100_000) {
    return fail({ code: 'INVALID_INPUT', field: 'page', reason: 'a whole number from 1' });
  }
  let status: RefillStatus | undefined;
  if (query.status !== undefined && query.status.trim() !== '') {
    const parsed = parseRefillStatus(query.status);
    if (parsed === null) return fail({ code: 'INVALID_INPUT', field: 'status', reason: 'a refill status' });
    status = parsed;
  }
  const rows = await queryRefills(ctx.db, {
    userId: query.userId,
    status,
    limit: REFILLS_PAGE_SIZE,
    offset: (page - 1) * REFILLS_PAGE_SIZE,
  });
  return ok({
    refills: rows.map((row) => ({
      id: Number(row.id),
      orderId: Number(row.order_id),
      username: row.username,
      status: refillStatusLabel(row.status as RefillStatus),
      link: row.link,
      serviceName: row.service_name,
      createdAt: new Date(Number(row.created_at)).toISOString(),
      updatedAt: new Date(Number(row.updated_at)).toISOString(),
    })),
    page,
  });
}
