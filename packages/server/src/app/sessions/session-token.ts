import { createHash, randomBytes } from 'node:crypto';

/** Sessions last a week from login. */
export const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** 32 random bytes: the cookie's value. Only its SHA-256 is stored. */
export function generateSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}
