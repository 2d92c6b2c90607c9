import { type Result, fail, ok } from '../../domain/errors.js';
import { findAccountById } from '../../store/account-emails.js';
import type { Context } from '../context.js';

/** The account page: the user's name and address, and whether the address is verified. */
export async function readAccount(
  ctx: Context,
  userId: number,
): Promise<Result<{ username: string; email: string | null; emailVerified: boolean }>> {
  const account = await findAccountById(ctx.db, userId);
  if (account === undefined) return fail({ code: 'USER_NOT_FOUND', username: `#${userId}` });
  return ok({
    username: account.username,
    email: account.email,
    emailVerified: account.emailVerifiedAt !== null,
  });
}
