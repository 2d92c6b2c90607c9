import { listAdminTokens as storeList } from '../../store/admin-tokens.js';
import type { Context } from '../context.js';

/** A user's admin API tokens: names and dates, never the tokens. */
export async function listAdminTokens(ctx: Context, userId: number) {
  const tokens = await storeList(ctx.db, userId);
  return tokens.map((token) => ({
    name: token.name,
    createdAt: new Date(token.createdAt).toISOString(),
    lastUsedAt: token.lastUsedAt === null ? null : new Date(token.lastUsedAt).toISOString(),
  }));
}
