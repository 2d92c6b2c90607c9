import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_LIFETIME_MS } from '../../app/sessions/session-token.js';

export const SESSION_COOKIE = 'smmkit_session';

/** A login waiting for its second step (2FA): no session, only good for POST /web-api/login/2fa. */
export const PENDING_LOGIN_COOKIE = 'smmkit_pending_login';

/** A cookie of the request by name. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index === -1) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** The session token from the Cookie header, if any. */
export function readSessionCookie(request: FastifyRequest): string | undefined {
  return readCookie(request, SESSION_COOKIE);
}

export function readPendingLoginCookie(request: FastifyRequest): string | undefined {
  return readCookie(request, PENDING_LOGIN_COOKIE);
}

/** Sets the pending-login cookie (value '' with max-age 0 clears it). */
export function setPendingLoginCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  value: string,
  maxAgeSeconds: number,
): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  void reply.header(
    'set-cookie',
    `${PENDING_LOGIN_COOKIE}=${value}; Path=/web-api/login; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`,
  );
}

function cookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  // HttpOnly: scripts never read it; SameSite=Lax: other sites' forms and fetches do not carry it.
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.header('set-cookie', cookie(request, token, Math.floor(SESSION_LIFETIME_MS / 1000)));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('set-cookie', cookie(request, '', 0));
}
