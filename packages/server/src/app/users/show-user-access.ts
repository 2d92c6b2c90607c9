import { fail, ok } from '../../domain/errors.js';
import { listApiKeysOfUser } from '../../store/api-keys.js';
import { listUserSessions } from '../../store/sessions.js';
import { findUserById } from '../../store/users.js';
import type { Context } from '../context.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** How a user gets in, for the admin's user panel: their live web sessions and their API keys (prefixes only). */
export async function showUserAccess(ctx: Context, userId: number) {
  const user = await findUserById(ctx.db, userId);
  if (!user) return fail({ code: 'USER_NOT_FOUND', username: `#${userId}` });
  const [sessions, keys] = await Promise.all([
    listUserSessions(ctx.db, userId, ctx.clock.now()),
    listApiKeysOfUser(ctx.db, userId),
  ]);
  return ok({
    sessions: sessions.map((session) => ({
      id: session.id,
      createdAt: new Date(session.createdAt).toISOString(),
      expiresAt: new Date(session.expiresAt).toISOString(),
      impersonatedBy: session.impersonator,
    })),
    apiKeys: keys.map((key) => ({
      id: key.id,
      prefix: key.prefix,
      createdAt: iso(key.createdAt),
      revokedAt: iso(key.revokedAt),
    })),
  });
}
