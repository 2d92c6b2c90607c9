import { type Result, fail, ok } from '../../domain/errors.js';
import { findUserById, findUserByUsername, findUserRateLimit, setUserRateLimit } from '../../store/users.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

/** Highest per-user limit accepted: far beyond what one process serves, so "effectively none" stays explicit as 0. */
export const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000_000;

export interface UserRateLimit {
  readonly userId: number;
  readonly username: string;
  /** Requests per minute for this user's API keys: null = the panel's default, 0 = no limit. */
  readonly perMinute: number | null;
}

/**
 * Sets (or, with null, clears back to the panel default) a user's API rate limit, audited. Takes
 * effect on every node at the user's next request: the limit is read with the API key (on PostgreSQL
 * another node's owner reads take it from its copy of key owners, dropped by this change's NOTIFY).
 */
export async function setUserRateLimitPerMinute(
  ctx: Context,
  input: { user: { id: number } | { username: string }; perMinute: number | null },
): Promise<Result<UserRateLimit>> {
  const { perMinute } = input;
  if (
    perMinute !== null &&
    (!Number.isInteger(perMinute) || perMinute < 0 || perMinute > MAX_RATE_LIMIT_PER_MINUTE)
  ) {
    return fail({
      code: 'INVALID_INPUT',
      field: 'rate limit',
      reason: `a whole number of requests per minute from 0 (no limit) to ${MAX_RATE_LIMIT_PER_MINUTE}`,
    });
  }
  return ctx.db.transaction(async (tx) => {
    const user =
      'id' in input.user
        ? await findUserById(tx, input.user.id)
        : await findUserByUsername(tx, input.user.username);
    if (!user) {
      const name = 'id' in input.user ? `#${input.user.id}` : input.user.username;
      return fail<UserRateLimit>({ code: 'USER_NOT_FOUND', username: name });
    }
    const userId = user.id;
    const before = await findUserRateLimit(tx, userId);
    await setUserRateLimit(tx, userId, perMinute);
    await recordAudit(tx, ctx, 'user.rate_limit', `user:${userId}`, { from: before ?? null, to: perMinute });
    return ok({ userId, username: user.username, perMinute });
  });
}
