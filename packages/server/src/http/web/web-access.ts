import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../app/context.js';
import { type WebSession, findSession } from '../../app/sessions/find-session.js';
import type { Panel } from '../../panel.js';
import { readSessionCookie } from './session-cookie.js';
import { sendError } from './web-reply.js';

/** Who may call a route: anyone, a logged-in user (customer or admin), or an admin. */
export type Access = 'public' | 'user' | 'admin';

/** Route configs: a route without one is for logged-in users. */
export const PUBLIC_ROUTE = { access: 'public' } as const;
/** Refused (403) to customers and (401) to visitors. */
export const ADMIN_ROUTE = { access: 'admin' } as const;

export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    webSession: WebSession | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Runs before every web endpoint: reads the session cookie, then refuses what the route does not
 * allow. A state-changing request must be JSON (a cross-site form cannot send that without a
 * preflight this server never grants) and, with a session, carry the session's CSRF token.
 */
export function webAccessHook(panel: Panel) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    request.webSession = await findSession(panel.ctx, readSessionCookie(request));
    const access = request.routeOptions.config.access ?? 'user';
    const session = request.webSession;
    if (!SAFE_METHODS.has(request.method)) {
      const type = request.headers['content-type'] ?? '';
      if (!type.toLowerCase().startsWith('application/json')) {
        await sendError(reply, 415, 'Send JSON (Content-Type: application/json)', 'UNSUPPORTED_MEDIA_TYPE');
        return;
      }
      if (access !== 'public') {
        const token = request.headers[CSRF_HEADER];
        if (session === null || typeof token !== 'string' || !sameToken(token, session.csrfToken)) {
          if (session === null) await sendError(reply, 401, 'Please log in', 'UNAUTHENTICATED');
          else await sendError(reply, 403, 'Missing or wrong CSRF token: reload the page', 'CSRF');
          return;
        }
      }
    }
    if (access === 'public') return;
    if (session === null) {
      await sendError(reply, 401, 'Please log in', 'UNAUTHENTICATED');
      return;
    }
    if (access === 'admin' && session.role !== 'admin') {
      await sendError(reply, 403, 'This page is for the panel owner', 'FORBIDDEN');
    }
  };
}

/** The session of a route whose access is 'user' or 'admin' (the hook guarantees one). */
export function sessionOf(request: FastifyRequest): WebSession {
  if (request.webSession === null) throw new Error('route without a session guard');
  return request.webSession;
}

/** The context of a use case called by the session's user: audited as done by them (user:<id>). */
export function contextOf(panel: Panel, request: FastifyRequest): Context {
  return panel.contextFor({ userId: sessionOf(request).userId });
}
