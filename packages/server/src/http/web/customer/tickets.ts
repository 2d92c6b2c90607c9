import * as contract from '@smmkit/contract';
import { listTickets } from '../../../app/tickets/list-tickets.js';
import { openTicket } from '../../../app/tickets/open-ticket.js';
import { replyAsCustomer } from '../../../app/tickets/post-ticket-message.js';
import { showCustomerTicket } from '../../../app/tickets/show-ticket.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { contextOf, sessionOf } from '../web-access.js';
import { answer } from '../web-reply.js';

/** The customer's support tickets: their own only (another's answers "not found"). */
export function registerCustomerTicketRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listTickets,
    handler: async (request) =>
      listTickets(panel.ctx, { customer: sessionOf(request).userId }, request.query),
  });

  web.route({
    ...contract.openTicket,
    handler: async (request, reply) => {
      const input = { userId: sessionOf(request).userId, ...request.body };
      return answer(reply, await openTicket(contextOf(panel, request), input));
    },
  });

  web.route({
    ...contract.getTicket,
    handler: async (request, reply) =>
      answer(reply, await showCustomerTicket(panel.ctx, sessionOf(request).userId, request.params.id)),
  });

  web.route({
    ...contract.replyToTicket,
    handler: async (request, reply) => {
      const input = {
        userId: sessionOf(request).userId,
        ticketId: request.params.id,
        message: request.body.message,
      };
      return answer(reply, await replyAsCustomer(contextOf(panel, request), input));
    },
  });
}
