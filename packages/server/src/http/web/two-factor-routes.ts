import * as contract from '@smmkit/contract';
import { completeTwoFactorLogin } from '../../app/sessions/complete-two-factor-login.js';
import { disableTwoFactor } from '../../app/two-factor/disable-two-factor.js';
import { enableTwoFactor } from '../../app/two-factor/enable-two-factor.js';
import { setUpTwoFactor } from '../../app/two-factor/set-up-two-factor.js';
import type { Panel } from '../../panel.js';
import { readPendingLoginCookie, setPendingLoginCookie, setSessionCookie } from './session-cookie.js';
import type { WebApp } from './web-app.js';
import { PUBLIC_ROUTE, contextOf, sessionOf } from './web-access.js';
import { answer, sendFailure } from './web-reply.js';

/** Two-factor sign-in (TOTP): set up, enable with a first code, disable; and a login's second step. */
export function registerTwoFactorRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.setUpTwoFactor,
    handler: async (request, reply) =>
      answer(reply, await setUpTwoFactor(contextOf(panel, request), sessionOf(request).userId)),
  });

  web.route({
    ...contract.enableTwoFactor,
    handler: async (request, reply) =>
      answer(
        reply,
        await enableTwoFactor(contextOf(panel, request), {
          userId: sessionOf(request).userId,
          code: request.body.code,
        }),
      ),
  });

  web.route({
    ...contract.disableTwoFactor,
    handler: async (request, reply) =>
      answer(
        reply,
        await disableTwoFactor(contextOf(panel, request), {
          userId: sessionOf(request).userId,
          ...request.body,
        }),
      ),
  });

  web.route({
    ...contract.logInSecondStep,
    config: PUBLIC_ROUTE,
    handler: async (request, reply) => {
      const result = await completeTwoFactorLogin(panel.ctx, {
        ...request.body,
        pendingToken: readPendingLoginCookie(request),
        address: request.ip,
        policy: panel.signIn,
      });
      if (!result.ok) return sendFailure(reply, result.failure);
      setSessionCookie(request, reply, result.value.token);
      setPendingLoginCookie(request, reply, '', 0);
      return { csrfToken: result.value.csrfToken };
    },
  });
}
