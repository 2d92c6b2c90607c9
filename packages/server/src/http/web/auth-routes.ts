import type { FastifyInstance } from 'fastify';
import { readPanelSettings } from '../../app/settings/panel-settings.js';
import { endSession } from '../../app/sessions/end-session.js';
import { logIn } from '../../app/sessions/log-in.js';
import { signUp } from '../../app/sessions/sign-up.js';
import { formatMoney } from '../../domain/money.js';
import type { Panel } from '../../panel.js';
import { type CredentialsBody, credentialsBody } from './schemas.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie.js';
import { sendFailure } from './web-reply.js';

/** Session endpoints: who am I (with the CSRF token), sign up, log in, log out. */
export function registerAuthRoutes(web: FastifyInstance, panel: Panel): void {
  web.get('/session', { config: { access: 'public' } }, async (request) => {
    const session = request.webSession;
    const settings = await readPanelSettings(panel.ctx);
    return {
      panel: settings,
      user:
        session === null
          ? null
          : {
              id: session.userId,
              username: session.username,
              role: session.role,
              balance: formatMoney(session.balance),
            },
      csrfToken: session?.csrfToken ?? null,
    };
  });

  web.post<{ Body: CredentialsBody }>(
    '/login',
    { config: { access: 'public' }, schema: { body: credentialsBody } },
    async (request, reply) => {
      const result = await logIn(panel.ctx, { ...request.body, address: request.ip });
      if (!result.ok) return sendFailure(reply, result.failure);
      setSessionCookie(request, reply, result.value.token);
      return { csrfToken: result.value.csrfToken };
    },
  );

  web.post<{ Body: CredentialsBody }>(
    '/signup',
    { config: { access: 'public' }, schema: { body: credentialsBody } },
    async (request, reply) => {
      const result = await signUp(panel.ctx, request.body);
      if (!result.ok) return sendFailure(reply, result.failure);
      setSessionCookie(request, reply, result.value.token);
      return { csrfToken: result.value.csrfToken };
    },
  );

  web.post('/logout', { config: { access: 'user' } }, async (request, reply) => {
    const token = readSessionCookie(request);
    if (token !== undefined) await endSession(panel.ctx, token);
    clearSessionCookie(request, reply);
    return { ok: true };
  });
}
