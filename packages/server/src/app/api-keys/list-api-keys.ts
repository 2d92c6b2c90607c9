import { listApiKeysOfUser } from '../../store/api-keys.js';
import type { Context } from '../context.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A user's keys: the first characters of each (the key itself is never stored), newest first. */
export async function listApiKeys(ctx: Context, userId: number) {
  const keys = await listApiKeysOfUser(ctx.db, userId);
  return keys.map((key) => ({
    id: key.id,
    prefix: key.prefix,
    createdAt: iso(key.createdAt),
    revokedAt: iso(key.revokedAt),
  }));
}
