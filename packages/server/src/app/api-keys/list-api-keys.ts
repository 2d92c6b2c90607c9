import { apiKeysOfUser } from '../../store/web-listings.js';
import type { Context } from '../context.js';

const iso = (ms: bigint | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** A user's keys: the first characters of each (the key itself is never stored), newest first. */
export async function listApiKeys(ctx: Context, userId: number) {
  const rows = await apiKeysOfUser(ctx.db, userId);
  return rows.map((row) => ({
    id: Number(row.id),
    prefix: row.key_prefix,
    createdAt: iso(row.created_at),
    revokedAt: iso(row.revoked_at),
  }));
}
