import * as contract from '@smmkit/contract';
import { listAudit } from '../../../app/admin/list-audit.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { contextOf } from '../web-access.js';
import { answer } from '../web-reply.js';
import { ADMIN } from './access.js';

export function registerAuditRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listAudit,
    config: ADMIN,
    handler: async (request, reply) =>
      answer(reply, await listAudit(contextOf(panel, request), request.query.page)),
  });
}
