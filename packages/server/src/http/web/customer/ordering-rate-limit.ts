import type { FastifyReply, FastifyRequest } from 'fastify';
import { admitUserRequest } from '../../../app/rate-limits/admit-user-request.js';
import { failureMessage } from '../../../domain/errors.js';
import type { Panel } from '../../../panel.js';
import { sessionOf } from '../web-access.js';

/**
 * A preHandler for the web ordering endpoints (quote, order, mass order): each request counts
 * against the user's per-minute limit together with their API requests. Over it: 429 with
 * Retry-After, and nothing done.
 */
export function limitWebOrdering(panel: Panel) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const retryAfter = await admitUserRequest(panel.ctx, panel.rateLimiter, sessionOf(request).userId);
    if (retryAfter === 0) return;
    await reply
      .code(429)
      .header('retry-after', String(retryAfter))
      .send({ error: failureMessage({ code: 'RATE_LIMITED' }), code: 'RATE_LIMITED' });
  };
}
