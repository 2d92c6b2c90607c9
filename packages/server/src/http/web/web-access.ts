import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../app/context.js';
import { type WebSession, findSession } from '../../app/sessions/find-session.js';
import { readSecuritySettings } from '../../app/settings/security-settings.js';
import { type Permission, can, isStaffRole } from '../../domain/permissions.js';
import type { Panel } from '../../panel.js';
import { SELF_ONLY_MESSAGE, isSelfOnly } from './self-only.js';
import { readSessionCookie } from './session-cookie.js';
import { sendError, sendFailure } from './web-reply.js';

/** Who may call a route: anyone, a logged-in user (customer or staff), or staff holding a permission. */
export type Access = 'public' | 'user' | 'admin';

/** Route configs: a route without one is for logged-in users. */
export const PUBLIC_ROUTE = { access: 'public' } as const;

/**
 * An admin route: refused (401) to visitors, (403) to customers and to staff whose role lacks the
 * permission (see domain/permissions.ts). Every admin route names the one permission it needs.
 */
export function adminRoute(permission: Permission) {
  return { access: 'admin', permission } as const;
}

export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    webSession: WebSession | null;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** An admin route's permission. */
    permission?: Permission;
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
    if (session.impersonator !== null && !SAFE_METHODS.has(request.method) && isSelfOnly(request.url)) {
      await sendError(reply, 403, SELF_ONLY_MESSAGE, 'IMPERSONATION_FORBIDDEN');
      return;
    }
    if (access !== 'admin') return;
    const permission = request.routeOptions.config.permission;
    if (!isStaffRole(session.role)) {
      await sendError(reply, 403, 'This page is for the panel owner', 'FORBIDDEN');
    } else if (permission === undefined || !can(session.role, permission)) {
      // An admin route without a permission is a mistake in the code: refused, never open.
      await sendError(reply, 403, `Your role (${session.role}) may not do this`, 'FORBIDDEN');
    } else if (!session.twoFactor && (await readSecuritySettings(panel.ctx)).staffTwoFactorRequired) {
      await sendFailure(reply, { code: 'TWO_FACTOR_SETUP_REQUIRED' });
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
  const session = sessionOf(request);
  if (session.impersonator !== null) {
    return {
      ...panel.ctx,
      actor: { kind: 'user', userId: session.userId, impersonatorId: session.impersonator.id },
    };
  }
  return panel.contextFor({ userId: session.userId });
}
