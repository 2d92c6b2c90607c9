import { ADMIN_API } from '@smmkit/contract/admin-api';
import { listAudit } from '../../app/admin/list-audit.js';
import { closeTicket } from '../../app/tickets/close-ticket.js';
import { listTickets } from '../../app/tickets/list-tickets.js';
import { answerAsStaff } from '../../app/tickets/post-ticket-message.js';
import { showAdminTicket } from '../../app/tickets/show-ticket.js';
import { ok } from '../../domain/errors.js';
import type { Panel } from '../../panel.js';
import { callerContext, callerOf } from './admin-api-access.js';
import { type AdminApiApp, adminApiRoute, readPaging } from './admin-api-route.js';
import { newestFirstPage } from './cursor.js';
import { answerOrProblem } from './problem.js';

/** Support tickets (list, show, reply, close) and the audit log. */
export function registerTicketEndpoints(api: AdminApiApp, panel: Panel): void {
  api.route({
    ...adminApiRoute(ADMIN_API.listTickets),
    handler: async (request, reply) => {
      const paging = readPaging(reply, request.query, 'b');
      if (paging === null) return reply;
      const ctx = callerContext(panel, request);
      const { state, subject } = request.query;
      const page = await newestFirstPage(paging.position, paging.limit, async (keyset) =>
        ok((await listTickets(ctx, 'staff', { state, subject, keyset })).tickets),
      );
      return answerOrProblem(reply, page);
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.showTicket),
    handler: async (request, reply) =>
      answerOrProblem(reply, await showAdminTicket(callerContext(panel, request), request.params.id)),
  });

  api.route({
    ...adminApiRoute(ADMIN_API.replyToTicket),
    handler: async (request, reply) => {
      const input = {
        staffId: callerOf(request).userId,
        ticketId: request.params.id,
        message: request.body.message,
      };
      return answerOrProblem(reply, await answerAsStaff(callerContext(panel, request), input));
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.closeTicket),
    handler: async (request, reply) =>
      answerOrProblem(reply, await closeTicket(callerContext(panel, request), request.params.id)),
  });

  api.route({
    ...adminApiRoute(ADMIN_API.listAudit),
    handler: async (request, reply) => {
      const paging = readPaging(reply, request.query, 'b');
      if (paging === null) return reply;
      const ctx = callerContext(panel, request);
      const page = await newestFirstPage(paging.position, paging.limit, async (keyset) => {
        const result = await listAudit(ctx, 1, keyset);
        return result.ok ? ok(result.value.entries) : result;
      });
      return answerOrProblem(reply, page);
    },
  });
}
