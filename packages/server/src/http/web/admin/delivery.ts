import * as contract from '@smmkit/contract';
import { readDeliveryStats } from '../../../app/delivery/read-delivery-stats.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';

export function registerDeliveryRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.getDeliveryStats,
    config: adminRoute('orders.read'),
    handler: async (request) => readDeliveryStats(contextOf(panel, request)),
  });
}
