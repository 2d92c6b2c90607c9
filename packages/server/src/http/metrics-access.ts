import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether a request may read /metrics: always when no token is configured (hide it at the proxy
 * then), else only with `Authorization: Bearer <token>`. Compared as digests in constant time, so
 * neither the token's length nor its prefix leaks through timing.
 */
export function metricsAllowed(authorization: string | undefined, token: string | null): boolean {
  if (token === null) return true;
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), digest(token));
}
