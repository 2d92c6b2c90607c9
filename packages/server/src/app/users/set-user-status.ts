import { type Result, fail, ok } from '../../domain/errors.js';
import { type UserStatus, isUserStatus } from '../../domain/accounts.js';
import { deleteUserSessions } from '../../store/sessions.js';
import { findUserById, setUserStatus as storeStatus } from '../../store/users.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

/**
 * Suspends or reactivates a customer. A suspended user's API keys answer "Invalid API key" and their
 * web sessions end at once. Audited.
 */
export async function setUserStatus(
  ctx: Context,
  input: { userId: number; status: string },
): Promise<Result<{ id: number; status: UserStatus }>> {
  const status = input.status;
  if (!isUserStatus(status)) {
    return fail({ code: 'INVALID_INPUT', field: 'status', reason: 'active or suspended' });
  }
  if (ctx.actor.kind === 'user' && ctx.actor.userId === input.userId) {
    return fail({ code: 'INVALID_INPUT', field: 'user', reason: 'you cannot change your own status' });
  }
  return ctx.db.transaction(async (tx) => {
    const user = await findUserById(tx, input.userId);
    if (!user) return fail({ code: 'USER_NOT_FOUND', username: `#${input.userId}` });
    if (await storeStatus(tx, input.userId, status)) {
      if (status === 'suspended') await deleteUserSessions(tx, input.userId);
      await recordAudit(
        tx,
        ctx,
        `user.${status === 'suspended' ? 'suspend' : 'reactivate'}`,
        `user:${input.userId}`,
        {
          username: user.username,
        },
      );
    }
    return ok({ id: input.userId, status });
  });
}
