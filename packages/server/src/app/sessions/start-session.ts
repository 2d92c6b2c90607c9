import { insertSession } from '../../store/sessions.js';
import type { Context } from '../context.js';
import {
  SESSION_LIFETIME_MS,
  generateCsrfToken,
  generateSessionToken,
  hashSessionToken,
} from './session-token.js';

export interface StartedSession {
  /** The cookie's value: shown to the browser once, stored hashed. */
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: number;
}

/** A new session for the user; with `impersonatorId`, a staff member's session as this customer. */
export async function startSession(
  ctx: Context,
  userId: number,
  options: { impersonatorId?: number } = {},
): Promise<StartedSession> {
  const token = generateSessionToken();
  const csrfToken = generateCsrfToken();
  const now = ctx.clock.now();
  const expiresAt = now + SESSION_LIFETIME_MS;
  await ctx.db.transaction((tx) =>
    insertSession(tx, {
      tokenHash: hashSessionToken(token),
      userId,
      csrfToken,
      now,
      expiresAt,
      impersonatorId: options.impersonatorId ?? null,
    }),
  );
  return { token, csrfToken, expiresAt };
}
