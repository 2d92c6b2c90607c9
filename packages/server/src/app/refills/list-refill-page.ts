import { fail, ok } from '../../domain/errors.js';
import { type RefillStatus, parseRefillStatus, refillStatusLabel } from '../../domain/order-status.js';
import { queryRefills } from '../../store/refills.js';
import type { Context } from '../context.js';
import { type Keyset, rowWindow } from '../keyset.js';

export const REFILLS_PAGE_SIZE = 50;

/** Refills newest first: one customer's (userId set) or everyone's (admin). */
export async function listRefillPage(
  ctx: Context,
  query: {
    userId?: number | undefined;
    status?: string | undefined;
    page?: number | undefined;
    /** One refill by id (the admin API's show). */
    id?: number | undefined;
    keyset?: Keyset | undefined;
  },
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
  const refills = await queryRefills(ctx.db, {
    userId: query.userId,
    status,
    id: query.id,
    ...rowWindow(query.keyset, page, REFILLS_PAGE_SIZE),
  });
  return ok({
    refills: refills.map((refill) => ({
      id: refill.id,
      orderId: refill.orderId,
      username: refill.username,
      status: refillStatusLabel(refill.status),
      link: refill.link,
      serviceName: refill.serviceName,
      createdAt: new Date(refill.createdAt).toISOString(),
      updatedAt: new Date(refill.updatedAt).toISOString(),
    })),
    page,
  });
}
