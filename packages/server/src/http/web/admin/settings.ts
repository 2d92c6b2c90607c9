import * as contract from '@smmkit/contract';
import { readPanelSettings, updatePanelSettings } from '../../../app/settings/panel-settings.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { answer } from '../web-reply.js';

/** The panel's name and currency. */
export function registerSettingsRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.getSettings,
    config: adminRoute('dashboard.read'),
    handler: async (request) => readPanelSettings(contextOf(panel, request)),
  });

  web.route({
    ...contract.saveSettings,
    config: adminRoute('settings.write'),
    handler: async (request, reply) =>
      answer(reply, await updatePanelSettings(contextOf(panel, request), request.body)),
  });
}
