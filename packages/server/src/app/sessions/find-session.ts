import { type Language, isLanguage } from '@smmkit/contract/languages';
import type { UserRole } from '../../domain/accounts.js';
import { findSessionUser } from '../../store/sessions.js';
import type { Context } from '../context.js';
import { hashSessionToken } from './session-token.js';

export interface WebSession {
  readonly userId: number;
  readonly username: string;
  readonly role: UserRole;
  readonly balance: bigint;
  readonly csrfToken: string;
  /** The staff member signed in as this customer, or null. */
  readonly impersonator: { readonly id: number; readonly username: string } | null;
  readonly twoFactor: boolean;
  /** The language the user chose (null: none; their browser's, else the panel's, is used). */
  readonly language: Language | null;
}

const MAX_TOKEN_LENGTH = 100;

/** The session a cookie names, when it is live and its user is active; null otherwise. */
export async function findSession(ctx: Context, token: string | undefined): Promise<WebSession | null> {
  if (token === undefined || token === '' || token.length > MAX_TOKEN_LENGTH) return null;
  const session = await findSessionUser(ctx.db, hashSessionToken(token), ctx.clock.now());
  if (!session || session.status !== 'active') return null;
  return {
    userId: session.userId,
    username: session.username,
    role: session.role,
    balance: session.balance,
    csrfToken: session.csrfToken,
    impersonator: session.impersonator,
    twoFactor: session.twoFactor,
    language: isLanguage(session.language) ? session.language : null,
  };
}
