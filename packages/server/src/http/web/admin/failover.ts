import * as contract from '@smmkit/contract';
import { setServiceFailover, showServiceFailover } from '../../../app/catalog/set-service-failover.js';
import { showProviderHistory } from '../../../app/dispatch/show-provider-history.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { answer } from '../web-reply.js';

/** Failover: a service's backup providers, and an order's provider history. */
export function registerFailoverRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.getServiceFailover,
    config: adminRoute('services.read'),
    handler: async (request, reply) =>
      answer(reply, await showServiceFailover(contextOf(panel, request), request.params.id)),
  });

  web.route({
    ...contract.setServiceFailover,
    config: adminRoute('services.write'),
    handler: async (request, reply) =>
      answer(reply, await setServiceFailover(contextOf(panel, request), request.params.id, request.body)),
  });

  web.route({
    ...contract.getOrderProviderHistory,
    config: adminRoute('orders.read'),
    handler: async (request, reply) =>
      answer(reply, await showProviderHistory(contextOf(panel, request), request.params.id)),
  });
}
