import { type Result, fail, ok } from '../../domain/errors.js';
import { findAccountByUsername, setPasswordHash } from '../../store/account-emails.js';
import { deleteUserSessions } from '../../store/sessions.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { generatePassword, hashPassword } from '../users/credentials.js';
import { checkNewPassword } from './new-password.js';

/**
 * The owner sets a password from the shell (`smmkit user password`): the given one, or a generated
 * one returned once. Every session of the user ends. Audited.
 */
export async function setUserPassword(
  ctx: Context,
  input: { username: string; password?: string | undefined },
): Promise<Result<{ username: string; password?: string }>> {
  const generated = input.password === undefined ? generatePassword() : null;
  const password = input.password ?? generated!;
  const invalid = checkNewPassword(password);
  if (invalid) return fail(invalid);
  const hash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const account = await findAccountByUsername(tx, input.username);
    if (account === undefined)
      return fail<{ username: string }>({ code: 'USER_NOT_FOUND', username: input.username });
    await setPasswordHash(tx, account.userId, hash);
    await deleteUserSessions(tx, account.userId);
    await recordAudit(tx, ctx, 'user.password', `user:${account.userId}`, { username: account.username });
    return ok(
      generated === null
        ? { username: account.username }
        : { username: account.username, password: generated },
    );
  });
}
