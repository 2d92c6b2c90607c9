import * as contract from '@smmkit/contract';
import { readDashboard } from '../../../app/admin/read-dashboard.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';

export function registerDashboardRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.getAdminDashboard,
    config: adminRoute('dashboard.read'),
    handler: async (request) => readDashboard(contextOf(panel, request)),
  });
}
