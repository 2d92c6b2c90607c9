import { type Result, fail, ok } from '../../domain/errors.js';
import { deleteAdminToken } from '../../store/admin-tokens.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { type TokenOwner, findTokenOwner } from './create-admin-token.js';

/** Revokes a token by name: at once, on every node (tokens are looked up on each request). */
export async function revokeAdminToken(
  ctx: Context,
  input: { owner: TokenOwner; name: string },
): Promise<Result<{ revoked: string }>> {
  const user = await findTokenOwner(ctx, input.owner);
  if (!user.ok) return user;
  const name = input.name.trim();
  return ctx.db.transaction(async (tx) => {
    if (!(await deleteAdminToken(tx, user.value.id, name)))
      return fail({ code: 'ADMIN_TOKEN_NOT_FOUND', name });
    await recordAudit(tx, ctx, 'admin_token.revoke', `user:${user.value.id}`, { name });
    return ok({ revoked: name });
  });
}
