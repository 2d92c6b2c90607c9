import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordReferralVisit } from '../../app/affiliates/record-referral-visit.js';
import type { Panel } from '../../panel.js';
import { readCookie } from '../web/session-cookie.js';

/** The first-party cookie a referral link sets: the code and when the link was followed. */
export const REFERRAL_COOKIE = 'smmkit_ref';

export function readReferralCookie(request: FastifyRequest): string | undefined {
  return readCookie(request, REFERRAL_COOKIE);
}

/**
 * `GET /ref/CODE`, a customer's referral link: counts the visit, sets the referral cookie for the
 * panel's cookie life (an unknown code sets none) and sends the visitor to sign up. Whatever the
 * code, the visitor lands on the sign-up page.
 */
export function registerReferralLink(app: FastifyInstance, panel: Panel): void {
  // A wildcard, not `:code`: a path parameter over Fastify's 100 characters would fall through to the SPA.
  app.get<{ Params: { '*': string } }>('/ref/*', async (request, reply) => {
    const visit = await recordReferralVisit(panel.ctx, request.params['*']);
    if (visit !== null) {
      const secure = request.protocol === 'https' ? '; Secure' : '';
      // HttpOnly: only the sign-up request reads it; SameSite=Lax: it is sent on the visitor's own navigation.
      void reply.header(
        'set-cookie',
        `${REFERRAL_COOKIE}=${visit.cookie}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${visit.maxAgeSeconds}${secure}`,
      );
    }
    return reply.header('cache-control', 'no-store').redirect('/signup', 302);
  });
}
