import { isStaffRole, permissionsOf, webRoleOf } from '../../domain/permissions.js';
import * as contract from '@smmkit/contract';
import { displayCurrencyOf } from '../../app/currencies/display-currency-of.js';
import { emailEnabled } from '../../app/email/queue-email.js';
import { readPanelSettings } from '../../app/settings/panel-settings.js';
import { languageOfRequest } from '../../app/languages/language-of-request.js';
import { LANGUAGE_COOKIE } from '@smmkit/contract/languages';
import { readSecuritySettings } from '../../app/settings/security-settings.js';
import { endSession } from '../../app/sessions/end-session.js';
import { logIn } from '../../app/sessions/log-in.js';
import { PENDING_LOGIN_LIFETIME_MS } from '../../app/sessions/pending-login.js';
import { signUp } from '../../app/sessions/sign-up.js';
import { formatMoney } from '../../domain/money.js';
import type { Panel } from '../../panel.js';
import {
  clearSessionCookie,
  readCookie,
  readSessionCookie,
  setPendingLoginCookie,
  setSessionCookie,
} from './session-cookie.js';
import type { WebApp } from './web-app.js';
import { PUBLIC_ROUTE } from './web-access.js';
import { sendFailure } from './web-reply.js';
import { readReferralCookie } from '../affiliates/referral-link.js';

/** Session endpoints: who am I (with the CSRF token), sign up, log in, log out. */
export function registerAuthRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.getSession,
    config: PUBLIC_ROUTE,
    handler: async (request) => {
      const session = request.webSession;
      const security = await readSecuritySettings(panel.ctx);
      const settings = await readPanelSettings(panel.ctx);
      const display = await displayCurrencyOf(panel.ctx, session?.userId ?? null);
      return {
        panel: settings,
        user:
          session === null
            ? null
            : {
                id: session.userId,
                username: session.username,
                role: webRoleOf(session.role),
                balance: formatMoney(session.balance),
                staffRole: isStaffRole(session.role) ? session.role : null,
                permissions: permissionsOf(session.role),
                impersonatedBy: session.impersonator,
                twoFactor: session.twoFactor,
                language: session.language,
                twoFactorSetupRequired:
                  isStaffRole(session.role) && security.staffTwoFactorRequired && !session.twoFactor,
              },
        csrfToken: session?.csrfToken ?? null,
        signIn: {
          signUpOpen: security.signUpOpen,
          challenge: panel.signIn.challenge,
        },
        emailEnabled: emailEnabled(panel.ctx),
        language: languageOfRequest({
          userLanguage: session?.language,
          cookieLanguage: readCookie(request, LANGUAGE_COOKIE),
          acceptLanguage: request.headers['accept-language'],
          panelDefault: settings.defaultLanguage,
        }),
        displayCurrency: display.displayCurrency,
        displayCurrencies: display.displayCurrencies,
      };
    },
  });

  web.route({
    ...contract.logIn,
    config: PUBLIC_ROUTE,
    handler: async (request, reply) => {
      const result = await logIn(panel.ctx, { ...request.body, address: request.ip, policy: panel.signIn });
      if (!result.ok) return sendFailure(reply, result.failure);
      if (result.value.kind === 'two-factor') {
        setPendingLoginCookie(request, reply, result.value.pendingToken, PENDING_LOGIN_LIFETIME_MS / 1000);
        return { twoFactorRequired: true as const };
      }
      setSessionCookie(request, reply, result.value.token);
      return { csrfToken: result.value.csrfToken };
    },
  });

  web.route({
    ...contract.signUp,
    config: PUBLIC_ROUTE,
    handler: async (request, reply) => {
      const { referral, ...credentials } = request.body;
      const result = await signUp(panel.ctx, {
        ...credentials,
        address: request.ip,
        policy: panel.signIn,
        referral: { code: referral ?? undefined, cookie: readReferralCookie(request) },
      });
      if (!result.ok) return sendFailure(reply, result.failure);
      setSessionCookie(request, reply, result.value.token);
      return { csrfToken: result.value.csrfToken };
    },
  });

  web.route({
    ...contract.logOut,
    config: { access: 'user' },
    handler: async (request, reply) => {
      const token = readSessionCookie(request);
      if (token !== undefined) await endSession(panel.ctx, token);
      clearSessionCookie(request, reply);
      return { ok: true as const };
    },
  });
}
