import { randomBytes } from 'node:crypto';

/** Prefix of every admin API token, so one found in a log or a repository is recognisable. */
export const ADMIN_TOKEN_PREFIX = 'smk_admin_';

/**
 * 256 random bits: a hash without salt or stretching is enough to store a secret this strong (stored and
 * looked up by `hashApiKey`, like API keys: a script sends the same token on every request).
 */
export function generateAdminToken(): string {
  return `${ADMIN_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}
