import { normalizeEmail } from '../../domain/email-address.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import { setUnverifiedEmail } from '../../store/account-emails.js';
import type { Context } from '../context.js';
import { sendVerificationLink } from './account-links.js';

/** A logged-in user changes their address: it is unverified until its link is followed. */
export async function changeEmail(
  ctx: Context,
  input: { userId: number; email: string },
): Promise<Result<{ email: string }>> {
  const email = normalizeEmail(input.email);
  if (email === null)
    return fail({ code: 'INVALID_INPUT', field: 'email', reason: 'an address such as name@example.com' });
  return ctx.db.transaction(async (tx) => {
    if (!(await setUnverifiedEmail(tx, input.userId, email)))
      return fail<{ email: string }>({ code: 'EMAIL_TAKEN' });
    await sendVerificationLink(tx, ctx, { userId: input.userId, email });
    return ok({ email });
  });
}
