import { isStaffRole, webRoleOf } from '../../domain/permissions.js';
import { fail, ok } from '../../domain/errors.js';
import { formatMoney, formatRate } from '../../domain/money.js';
import { listRatesOfUser } from '../../store/user-rates.js';
import { countUsersMatching, searchUsers } from '../../store/users.js';
import type { Context } from '../context.js';
import { type Keyset, rowWindow } from '../keyset.js';

export const USERS_PAGE_SIZE = 50;

/** The admin's user list: a username fragment, newest first, with each user's custom rates. */
export async function listUsers(
  ctx: Context,
  query: { search?: string | undefined; page?: number | undefined; keyset?: Keyset | undefined },
) {
  const page = query.page ?? 1;
  if (!Number.isSafeInteger(page) || page < 1 || page > 100_000) {
    return fail({ code: 'INVALID_INPUT', field: 'page', reason: 'a whole number from 1' });
  }
  const search = query.search?.trim().slice(0, 64);
  const [found, total] = await Promise.all([
    searchUsers(ctx.db, { search, ...rowWindow(query.keyset, page, USERS_PAGE_SIZE) }),
    countUsersMatching(ctx.db, search),
  ]);
  const users = await Promise.all(
    found.map(async (user) => ({
      id: user.id,
      username: user.username,
      role: webRoleOf(user.role),
      staffRole: isStaffRole(user.role) ? user.role : null,
      status: user.status,
      balance: formatMoney(user.balance),
      orders: user.orders,
      rateLimitPerMinute: user.rateLimitPerMinute,
      createdAt: new Date(user.createdAt).toISOString(),
      rates: (await listRatesOfUser(ctx.db, user.id)).map((rate) => ({
        service: rate.serviceId,
        name: rate.name,
        rate: formatRate(rate.rate),
        serviceRate: formatRate(rate.serviceRate),
      })),
    })),
  );
  return ok({ users, page, pageSize: USERS_PAGE_SIZE, total });
}
