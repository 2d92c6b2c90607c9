import { type Result, fail, ok } from '../../domain/errors.js';
import { parseLowBalanceThreshold } from '../../domain/webhooks.js';
import { saveLowBalanceThreshold } from '../../store/webhook-endpoints.js';
import type { Context } from '../context.js';

/**
 * A customer sets (or, with null, removes) the threshold below which their balance sends
 * `balance.low` once. It applies to the next balance change: a balance already below it does not
 * fire until it has gone back up to it and down again.
 */
export async function setLowBalanceThreshold(
  ctx: Context,
  userId: number,
  text: string | null,
): Promise<Result<bigint | null>> {
  const parsed = parseLowBalanceThreshold(text);
  if (!parsed.ok) return fail({ code: 'INVALID_INPUT', field: 'threshold', reason: parsed.reason });
  await saveLowBalanceThreshold(ctx.db, userId, parsed.threshold);
  return ok(parsed.threshold);
}
