import * as contract from '@smmkit/contract';
import { listAudit } from '../../../app/admin/list-audit.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { answer } from '../web-reply.js';

export function registerAuditRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listAudit,
    config: adminRoute('audit.read'),
    handler: async (request, reply) =>
      answer(reply, await listAudit(contextOf(panel, request), request.query.page)),
  });
}
