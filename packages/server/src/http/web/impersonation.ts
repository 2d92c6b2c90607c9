import * as contract from '@smmkit/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  endImpersonation,
  impersonateCustomer,
  recordImpersonatedRequest,
} from '../../app/sessions/impersonate-customer.js';
import type { Panel } from '../../panel.js';
import { pathOf } from '../request-id.js';
import { readSessionCookie, setSessionCookie } from './session-cookie.js';
import type { WebApp } from './web-app.js';
import { adminRoute, contextOf, sessionOf } from './web-access.js';
import { sendError, sendFailure } from './web-reply.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Sign in as a customer (owner and manager), and back to admin. */
export function registerImpersonationRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.impersonateUser,
    config: adminRoute('users.impersonate'),
    handler: async (request, reply) => {
      const result = await impersonateCustomer(contextOf(panel, request), {
        staffId: sessionOf(request).userId,
        customerId: request.params.id,
        staffToken: readSessionCookie(request),
      });
      if (!result.ok) return sendFailure(reply, result.failure);
      setSessionCookie(request, reply, result.value.token);
      return { csrfToken: result.value.csrfToken };
    },
  });

  web.route({
    ...contract.endImpersonation,
    config: { access: 'user' },
    handler: async (request, reply) => {
      const session = sessionOf(request);
      if (session.impersonator === null) {
        return sendError(reply, 400, 'You are not signed in as a customer', 'NOT_IMPERSONATING');
      }
      const result = await endImpersonation(panel.ctx, {
        customerId: session.userId,
        staffId: session.impersonator.id,
        token: readSessionCookie(request),
      });
      if (!result.ok) return sendError(reply, 401, 'Please log in', 'UNAUTHENTICATED');
      setSessionCookie(request, reply, result.value.token);
      return { csrfToken: result.value.csrfToken };
    },
  });
}

/**
 * An onSend hook: every state-changing request made while signed in as a customer is audited
 * as done by the staff member on the customer's behalf (`user:<staff> as user:<customer>`), whatever
 * it was and however it ended. Ending the impersonation is audited by its own use case.
 */
export function auditImpersonatedRequests(panel: Panel) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const session = request.webSession;
    if (session?.impersonator == null || SAFE_METHODS.has(request.method)) return payload;
    if (request.routeOptions.url === `/web-api${contract.endImpersonation.url}`) return payload;
    try {
      await recordImpersonatedRequest(contextOf(panel, request), {
        customerId: session.userId,
        method: request.method,
        path: pathOf(request.url),
        status: reply.statusCode,
      });
    } catch (error) {
      request.log.error({ err: error }, 'impersonated request could not be audited');
    }
    return payload;
  };
}
