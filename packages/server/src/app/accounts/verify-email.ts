import { type Result, fail, ok } from '../../domain/errors.js';
import { consumeAccountToken } from '../../store/account-tokens.js';
import { markEmailVerified } from '../../store/account-emails.js';
import type { Context } from '../context.js';
import { hashAccountToken } from './account-links.js';

/** Confirms an address from its link; a link for an address the user no longer has is refused. */
export async function verifyEmail(ctx: Context, token: string): Promise<Result<{ ok: true }>> {
  const verified = await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const found = await consumeAccountToken(tx, 'verify_email', hashAccountToken(token), now);
    return found !== undefined && (await markEmailVerified(tx, found.userId, found.email, now));
  });
  return verified ? ok({ ok: true as const }) : fail({ code: 'INVALID_TOKEN' });
}
