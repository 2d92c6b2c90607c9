import * as contract from '@smmkit/contract';
import { actOnTicketOrders } from '../../../app/tickets/act-on-ticket-orders.js';
import { closeTicket } from '../../../app/tickets/close-ticket.js';
import { listTickets } from '../../../app/tickets/list-tickets.js';
import { answerAsStaff } from '../../../app/tickets/post-ticket-message.js';
import { showAdminTicket } from '../../../app/tickets/show-ticket.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf, sessionOf } from '../web-access.js';
import { answer } from '../web-reply.js';

/** The tickets inbox: read with tickets.read; answer, close and act on orders with tickets.reply. */
export function registerTicketRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listAdminTickets,
    config: adminRoute('tickets.read'),
    handler: async (request) => listTickets(panel.ctx, 'staff', request.query),
  });

  web.route({
    ...contract.getAdminTicket,
    config: adminRoute('tickets.read'),
    handler: async (request, reply) => answer(reply, await showAdminTicket(panel.ctx, request.params.id)),
  });

  web.route({
    ...contract.answerTicket,
    config: adminRoute('tickets.reply'),
    handler: async (request, reply) => {
      const input = {
        staffId: sessionOf(request).userId,
        ticketId: request.params.id,
        message: request.body.message,
      };
      return answer(reply, await answerAsStaff(contextOf(panel, request), input));
    },
  });

  web.route({
    ...contract.closeTicket,
    config: adminRoute('tickets.reply'),
    handler: async (request, reply) =>
      answer(reply, await closeTicket(contextOf(panel, request), request.params.id)),
  });

  web.route({
    ...contract.actOnTicketOrders,
    config: adminRoute('tickets.reply'),
    handler: async (request, reply) =>
      answer(reply, await actOnTicketOrders(contextOf(panel, request), request.params.id)),
  });
}
