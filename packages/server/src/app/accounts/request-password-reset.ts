import { normalizeEmail } from '../../domain/email-address.js';
import { recordResetRequest } from '../../store/account-tokens.js';
import { findAccountByEmail } from '../../store/account-emails.js';
import type { Context } from '../context.js';
import type { RequestLanguage } from '../email/queue-email.js';
import { sendResetLink } from './account-links.js';

/** Reset requests per hour, per client address and per email address; more are accepted and not sent. */
export const RESET_REQUESTS_PER_HOUR = 10;

/**
 * "Forgot my password": always the same answer, whether or not the address belongs to anyone, so
 * nobody learns which addresses have accounts; both paths do the same reads and writes but the
 * link itself. A link goes out only to an active user's address, within the hourly limits, in their
 * language (their choice, else the request's, else the panel's default).
 */
export async function requestPasswordReset(
  ctx: Context,
  input: { email: string; address: string; request?: RequestLanguage | undefined },
): Promise<void> {
  const email = normalizeEmail(input.email) ?? input.email.trim().toLowerCase().slice(0, 254);
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const before = await recordResetRequest(tx, {
      address: input.address,
      email,
      now,
      since: now - 60 * 60 * 1000,
    });
    const account = await findAccountByEmail(tx, email);
    if (before.byAddress >= RESET_REQUESTS_PER_HOUR || before.byEmail >= RESET_REQUESTS_PER_HOUR) return;
    if (account === undefined || account.status !== 'active' || account.email === null) return;
    await sendResetLink(tx, ctx, { userId: account.userId, email: account.email, request: input.request });
  });
}
