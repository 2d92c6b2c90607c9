import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../store/database.js';
import { type AccountTokenPurpose, insertAccountToken } from '../../store/account-tokens.js';
import type { Context } from '../context.js';
import { type RequestLanguage, publicLink, queueEmail } from '../email/queue-email.js';

/** A reset link works for one hour; a verification link for a week. */
export const RESET_LINK_MS = 60 * 60 * 1000;
const VERIFY_LINK_MS = 7 * 24 * 60 * 60 * 1000;

/** Tokens are 32 random bytes; only their SHA-256 is stored. */
export function hashAccountToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

async function issueLink(
  tx: Queryable,
  ctx: Context,
  input: { userId: number; email: string; purpose: AccountTokenPurpose },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  await insertAccountToken(tx, {
    userId: input.userId,
    purpose: input.purpose,
    tokenHash: hashAccountToken(token),
    email: input.email,
    now,
    expiresAt: now + (input.purpose === 'reset_password' ? RESET_LINK_MS : VERIFY_LINK_MS),
  });
  return token;
}

/**
 * Queues a verification link for the user's (new) address, in the caller's transaction, in their
 * language (their choice, else the request's, else the panel's default).
 */
export async function sendVerificationLink(
  tx: Queryable,
  ctx: Context,
  input: { userId: number; email: string; request?: RequestLanguage | undefined },
): Promise<void> {
  if (ctx.mail?.enabled !== true) return;
  const token = await issueLink(tx, ctx, {
    userId: input.userId,
    email: input.email,
    purpose: 'verify_email',
  });
  await queueEmail(
    tx,
    ctx,
    input.email,
    {
      kind: 'verify-email',
      link: publicLink(ctx, `/verify-email?token=${token}`),
    },
    { userId: input.userId, request: input.request },
  );
}

/** Queues a single-use password reset link, in the caller's transaction, in the user's language. */
export async function sendResetLink(
  tx: Queryable,
  ctx: Context,
  input: { userId: number; email: string; request?: RequestLanguage | undefined },
): Promise<void> {
  if (ctx.mail?.enabled !== true) return;
  const token = await issueLink(tx, ctx, {
    userId: input.userId,
    email: input.email,
    purpose: 'reset_password',
  });
  await queueEmail(
    tx,
    ctx,
    input.email,
    {
      kind: 'password-reset',
      link: publicLink(ctx, `/reset-password?token=${token}`),
    },
    { userId: input.userId, request: input.request },
  );
}
