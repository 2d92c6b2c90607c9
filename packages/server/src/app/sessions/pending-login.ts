import { insertPendingLogin } from '../../store/pending-logins.js';
import type { Context } from '../context.js';
import { generateSessionToken, hashSessionToken } from './session-token.js';

/** A login waiting for its second step lasts five minutes and allows five codes. */
export const PENDING_LOGIN_LIFETIME_MS = 5 * 60 * 1000;
export const PENDING_LOGIN_MAX_ATTEMPTS = 5;

export interface PendingLogin {
  /** The pending-login cookie's value: shown to the browser once, stored hashed. It is no session. */
  readonly pendingToken: string;
  readonly expiresAt: number;
}

export async function startPendingLogin(ctx: Context, userId: number): Promise<PendingLogin> {
  const pendingToken = generateSessionToken();
  const expiresAt = ctx.clock.now() + PENDING_LOGIN_LIFETIME_MS;
  await ctx.db.transaction((tx) =>
    insertPendingLogin(tx, { tokenHash: hashSessionToken(pendingToken), userId, expiresAt }),
  );
  return { pendingToken, expiresAt };
}
