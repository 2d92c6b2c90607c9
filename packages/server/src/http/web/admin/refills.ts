import * as contract from '@smmkit/contract';
import { listRefillPage } from '../../../app/refills/list-refill-page.js';
import { updateRefillStatus } from '../../../app/refills/update-refill-status.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { answer } from '../web-reply.js';

/** Everyone's refills, and manual refills moved along. */
export function registerRefillRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listAdminRefills,
    config: adminRoute('orders.read'),
    handler: async (request, reply) => {
      const { page, status } = request.query;
      return answer(reply, await listRefillPage(contextOf(panel, request), { page, status }));
    },
  });

  web.route({
    ...contract.setRefillStatus,
    config: adminRoute('refills.act'),
    handler: async (request, reply) => {
      const update = { refillId: request.params.id, status: request.body.status };
      return answer(reply, await updateRefillStatus(contextOf(panel, request), update));
    },
  });
}
