import { type Result, fail, ok } from '../../domain/errors.js';
import { formatRate, parseMoney } from '../../domain/money.js';
import { bumpCatalogVersion } from '../../store/catalog-version.js';
import { findService } from '../../store/services.js';
import { deleteUserRate, upsertUserRate } from '../../store/user-rates.js';
import { findUserById, findUserByUsername } from '../../store/users.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

/**
 * Sets one user's own price for a service; a null rate removes it (back to the service's rate).
 * The user by username (CLI) or by id (the admin's user list).
 */
export async function setUserRate(
  ctx: Context,
  input: ({ username: string } | { userId: number }) & { serviceId: number; rate: string | null },
): Promise<Result<{ username: string; service: number; rate: string | null }>> {
  let rate: bigint | null = null;
  if (input.rate !== null) {
    rate = parseMoney(input.rate);
    if (rate === null || rate < 0n) {
      return fail({
        code: 'INVALID_INPUT',
        field: 'rate',
        reason: 'a non-negative amount with up to 5 decimals',
      });
    }
  }
  return ctx.db.transaction(async (tx) => {
    const user =
      'userId' in input ? await findUserById(tx, input.userId) : await findUserByUsername(tx, input.username);
    if (!user) {
      return fail({
        code: 'USER_NOT_FOUND',
        username: 'userId' in input ? `#${input.userId}` : input.username,
      });
    }
    if (!(await findService(tx, input.serviceId)))
      return fail({ code: 'SERVICE_NOT_FOUND', id: input.serviceId });
    const userId = user.id;
    if (rate === null) await deleteUserRate(tx, userId, input.serviceId);
    else await upsertUserRate(tx, { userId, serviceId: input.serviceId, rate, now: ctx.clock.now() });
    await bumpCatalogVersion(tx);
    const shown = rate === null ? null : formatRate(rate);
    await recordAudit(tx, ctx, 'rate.set', `user:${userId}`, { service: input.serviceId, rate: shown });
    return ok({ username: user.username, service: input.serviceId, rate: shown });
  });
}
