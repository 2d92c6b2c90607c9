import { type Result, fail, ok } from '../../domain/errors.js';
import { isStaffRole } from '../../domain/permissions.js';
import { insertAdminToken } from '../../store/admin-tokens.js';
import { type User, findUserById, findUserByUsername } from '../../store/users.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { readAdminTokenName } from './admin-token-name.js';
import { generateAdminToken } from './admin-token-secret.js';
import { hashApiKey } from '../users/credentials.js';

export type TokenOwner = { readonly userId: number } | { readonly username: string };

export async function findTokenOwner(ctx: Context, owner: TokenOwner): Promise<Result<User>> {
  const user =
    'userId' in owner
      ? await findUserById(ctx.db, owner.userId)
      : await findUserByUsername(ctx.db, owner.username);
  if (user === undefined) {
    return fail({
      code: 'USER_NOT_FOUND',
      username: 'username' in owner ? owner.username : `#${owner.userId}`,
    });
  }
  return ok(user);
}

/**
 * A new admin API token for a staff member (customers get none): shown once in the answer, stored as
 * its sha256 only. It carries its holder's staff role, read again on every request.
 */
export async function createAdminToken(
  ctx: Context,
  input: { owner: TokenOwner; name: string },
): Promise<Result<{ token: string; name: string }>> {
  const name = readAdminTokenName(input.name);
  if (!name.ok) return name;
  const user = await findTokenOwner(ctx, input.owner);
  if (!user.ok) return user;
  if (!isStaffRole(user.value.role))
    return fail({ code: 'ADMIN_TOKEN_STAFF_ONLY', username: user.value.username });
  const token = generateAdminToken();
  return ctx.db.transaction(async (tx) => {
    const id = await insertAdminToken(tx, {
      userId: user.value.id,
      name: name.value,
      tokenHash: hashApiKey(token),
      now: ctx.clock.now(),
    });
    if (id === null) return fail({ code: 'ADMIN_TOKEN_NAME_TAKEN', name: name.value });
    await recordAudit(tx, ctx, 'admin_token.create', `user:${user.value.id}`, { name: name.value });
    return ok({ token, name: name.value });
  });
}
