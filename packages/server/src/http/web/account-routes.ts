import * as contract from '@smmkit/contract';
import { LANGUAGE_COOKIE } from '@smmkit/contract/languages';
import { chooseDisplayCurrency } from '../../app/accounts/choose-display-currency.js';
import { changeEmail } from '../../app/accounts/change-email.js';
import { changePassword } from '../../app/accounts/change-password.js';
import { confirmPasswordReset } from '../../app/accounts/confirm-password-reset.js';
import { readAccount } from '../../app/accounts/read-account.js';
import { requestPasswordReset } from '../../app/accounts/request-password-reset.js';
import { sendPasswordResetLink } from '../../app/accounts/send-password-reset.js';
import { verifyEmail } from '../../app/accounts/verify-email.js';
import { chooseLanguage } from '../../app/languages/choose-language.js';
import type { Panel } from '../../panel.js';
import { readCookie } from './session-cookie.js';
import type { WebApp } from './web-app.js';
import { PUBLIC_ROUTE, adminRoute, contextOf, sessionOf } from './web-access.js';
import { answer } from './web-reply.js';

/** Accounts and recovery: the address and its verification, password change and reset. */
export function registerAccountRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.getAccount,
    handler: async (request, reply) => answer(reply, await readAccount(panel.ctx, sessionOf(request).userId)),
  });

  web.route({
    ...contract.chooseLanguage,
    handler: async (request, reply) => {
      const input = { userId: sessionOf(request).userId, language: request.body.language };
      return answer(reply, await chooseLanguage(contextOf(panel, request), input));
    },
  });

  web.route({
    ...contract.chooseDisplayCurrency,
    handler: async (request, reply) => {
      const input = { userId: sessionOf(request).userId, currency: request.body.currency };
      return answer(reply, await chooseDisplayCurrency(contextOf(panel, request), input));
    },
  });

  web.route({
    ...contract.verifyEmail,
    config: PUBLIC_ROUTE,
    handler: async (request, reply) => answer(reply, await verifyEmail(panel.ctx, request.body.token)),
  });

  web.route({
    ...contract.changePassword,
    handler: async (request, reply) => {
      const input = { userId: sessionOf(request).userId, ...request.body };
      return answer(reply, await changePassword(contextOf(panel, request), input));
    },
  });

  web.route({
    ...contract.changeEmail,
    handler: async (request, reply) => {
      const input = { userId: sessionOf(request).userId, email: request.body.email };
      return answer(reply, await changeEmail(contextOf(panel, request), input));
    },
  });

  web.route({
    ...contract.requestPasswordReset,
    config: PUBLIC_ROUTE,
    handler: async (request) => {
      await requestPasswordReset(panel.ctx, {
        email: request.body.email,
        address: request.ip,
        request: {
          cookieLanguage: readCookie(request, LANGUAGE_COOKIE),
          acceptLanguage: request.headers['accept-language'],
        },
      });
      return { ok: true as const };
    },
  });

  web.route({
    ...contract.confirmPasswordReset,
    config: PUBLIC_ROUTE,
    handler: async (request, reply) => answer(reply, await confirmPasswordReset(panel.ctx, request.body)),
  });

  web.route({
    ...contract.sendUserPasswordReset,
    config: adminRoute('users.write'),
    handler: async (request, reply) =>
      answer(reply, await sendPasswordResetLink(contextOf(panel, request), request.params.id)),
  });
}
