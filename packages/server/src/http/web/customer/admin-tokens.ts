import * as contract from '@smmkit/contract';
import { createAdminToken } from '../../../app/admin-tokens/create-admin-token.js';
import { listAdminTokens } from '../../../app/admin-tokens/list-admin-tokens.js';
import { revokeAdminToken } from '../../../app/admin-tokens/revoke-admin-token.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { contextOf, sessionOf } from '../web-access.js';
import { readSecuritySettings } from '../../../app/settings/security-settings.js';
import { answer, sendFailure } from '../web-reply.js';

/** The profile's admin API tokens: staff only (the use case refuses customers), the token shown once. */
export function registerAdminTokenRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listAdminTokens,
    handler: async (request) => ({ tokens: await listAdminTokens(panel.ctx, sessionOf(request).userId) }),
  });

  web.route({
    ...contract.createAdminToken,
    handler: async (request, reply) => {
      const session = sessionOf(request);
      // A token acts as its holder: one made without the second factor the panel requires of staff
      // would get around it.
      if (!session.twoFactor && (await readSecuritySettings(panel.ctx)).staffTwoFactorRequired) {
        return sendFailure(reply, { code: 'TWO_FACTOR_SETUP_REQUIRED' });
      }
      const owner = { userId: session.userId };
      return answer(
        reply,
        await createAdminToken(contextOf(panel, request), { owner, name: request.body.name }),
      );
    },
  });

  web.route({
    ...contract.revokeAdminToken,
    handler: async (request, reply) => {
      const owner = { userId: sessionOf(request).userId };
      return answer(
        reply,
        await revokeAdminToken(contextOf(panel, request), { owner, name: request.body.name }),
      );
    },
  });
}
