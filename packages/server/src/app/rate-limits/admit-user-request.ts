import { findUserRateLimit } from '../../store/users.js';
import type { Context } from '../context.js';
import type { RateLimiter } from './rate-limiter.js';

/**
 * Counts one web request of the user against the same per-user limit as their API keys (the web
 * quote and order endpoints): 0 when admitted, else the seconds until the window ends.
 */
export async function admitUserRequest(ctx: Context, limiter: RateLimiter, userId: number): Promise<number> {
  const own = await findUserRateLimit(ctx.db, userId);
  return limiter.admit(userId, own ?? null);
}
