import { expireDueDeposits } from '../../store/deposits.js';
import type { Context } from '../context.js';

/**
 * The worker's job: gateway deposits still pending when their time is up (SMMKIT_DEPOSIT_EXPIRY)
 * become `expired`. One conditional update: safe on any number of workers. A payment that still
 * arrives afterwards goes to review, never lost.
 */
export async function expireDeposits(ctx: Context): Promise<number> {
  const now = ctx.clock.now();
  return (await ctx.db.transaction((tx) => expireDueDeposits(tx, now))).length;
}
