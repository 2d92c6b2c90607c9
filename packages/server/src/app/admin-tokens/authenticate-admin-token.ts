import { type StaffRole, isStaffRole } from '../../domain/permissions.js';
import { findAdminTokenHolder, touchAdminToken } from '../../store/admin-tokens.js';
import type { Context } from '../context.js';
import { hashApiKey } from '../users/credentials.js';

/** "Last used" is kept to the minute: a busy token does not write on every request. */
const LAST_USED_GRANULARITY_MS = 60_000;

export interface AdminCaller {
  readonly tokenId: number;
  readonly tokenName: string;
  readonly userId: number;
  readonly role: StaffRole;
}

/**
 * The caller behind a bearer token, or null: unknown or revoked token, a suspended holder, or a holder
 * who is no longer staff. The role is read now, so a role change applies to the next request.
 */
export async function authenticateAdminToken(ctx: Context, token: string): Promise<AdminCaller | null> {
  const holder = await findAdminTokenHolder(ctx.db, hashApiKey(token));
  if (holder === undefined || holder.status !== 'active' || !isStaffRole(holder.role)) return null;
  const now = ctx.clock.now();
  if (holder.lastUsedAt === null || holder.lastUsedAt < now - LAST_USED_GRANULARITY_MS) {
    await touchAdminToken(ctx.db, { tokenId: holder.tokenId, now, granularity: LAST_USED_GRANULARITY_MS });
  }
  return { tokenId: holder.tokenId, tokenName: holder.tokenName, userId: holder.userId, role: holder.role };
}

/** The context of a use case called through a token: audited as its holder, with the token's name. */
export function tokenContext(ctx: Context, caller: AdminCaller): Context {
  return { ...ctx, actor: { kind: 'user', userId: caller.userId, tokenName: caller.tokenName } };
}
