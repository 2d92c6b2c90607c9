import * as contract from '@smmkit/contract';
import { readSecuritySettings, updateSecuritySettings } from '../../../app/settings/security-settings.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { answer } from '../web-reply.js';

/** The panel's sign-in settings: open or invite-only sign-up. */
export function registerSecurityRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.getSecuritySettings,
    config: adminRoute('dashboard.read'),
    handler: async (request) => readSecuritySettings(contextOf(panel, request)),
  });

  web.route({
    ...contract.saveSecuritySettings,
    config: adminRoute('settings.write'),
    handler: async (request, reply) =>
      answer(reply, await updateSecuritySettings(contextOf(panel, request), request.body)),
  });
}
