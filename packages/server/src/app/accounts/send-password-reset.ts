import { type Result, fail, ok } from '../../domain/errors.js';
import { findAccountById } from '../../store/account-emails.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { emailEnabled } from '../email/queue-email.js';
import { sendResetLink } from './account-links.js';

/** The admin sends a user a reset link (Users page). Audited. */
export async function sendPasswordResetLink(ctx: Context, userId: number): Promise<Result<{ ok: true }>> {
  if (!emailEnabled(ctx)) {
    return fail({ code: 'INVALID_INPUT', field: 'email', reason: 'email is off (set SMMKIT_SMTP_URL)' });
  }
  return ctx.db.transaction(async (tx) => {
    const account = await findAccountById(tx, userId);
    if (account === undefined) return fail<{ ok: true }>({ code: 'USER_NOT_FOUND', username: `#${userId}` });
    if (account.email === null) {
      return fail<{ ok: true }>({
        code: 'INVALID_INPUT',
        field: 'email',
        reason: 'this user has no email address',
      });
    }
    await sendResetLink(tx, ctx, { userId, email: account.email });
    await recordAudit(tx, ctx, 'user.password_reset_link', `user:${userId}`, { username: account.username });
    return ok({ ok: true as const });
  });
}
