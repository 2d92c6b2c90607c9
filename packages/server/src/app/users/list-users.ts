import { fail, ok } from '../../domain/errors.js';
import { formatMoney, formatRate } from '../../domain/money.js';
import { listRatesOfUser, searchUsers } from '../../store/user-accounts.js';
import type { Context } from '../context.js';

export const USERS_PAGE_SIZE = 50;

/** The admin's user list: a username fragment, newest first, with each user's custom rates. */
export async function listUsers(
  ctx: Context,
  query: { search?: string | undefined; page?: number | undefined },
) {
  const page = query.page ?? 1;
  if (!Number.isSafeInteger(page) || page < 1 || page > 100_000) {
    return fail({ code: 'INVALID_INPUT', field: 'page', reason: 'a whole number from 1' });
  }
  const rows = await searchUsers(ctx.db, {
    search: query.search?.trim().slice(0, 64),
    limit: USERS_PAGE_SIZE,
    offset: (page - 1) * USERS_PAGE_SIZE,
  });
  const users = await Promise.all(
    rows.map(async (row) => ({
      id: Number(row.id),
      username: row.username,
      role: row.role,
      status: row.status,
      balance: formatMoney(row.balance),
      orders: Number(row.orders),
      rateLimitPerMinute: row.rate_limit_per_minute === null ? null : Number(row.rate_limit_per_minute),
      createdAt: new Date(Number(row.created_at)).toISOString(),
      rates: (await listRatesOfUser(ctx.db, Number(row.id))).map((rate) => ({
        service: Number(rate.service_id),
        name: rate.name,
        rate: formatRate(rate.rate),
        serviceRate: formatRate(rate.service_rate),
      })),
    })),
  );
  return ok({ users, page });
}
