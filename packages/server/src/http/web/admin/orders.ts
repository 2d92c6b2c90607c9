import * as contract from '@smmkit/contract';
import { type Resolution, resolveReview } from '../../../app/dispatch/resolve-review.js';
import { listOrderPage } from '../../../app/orders/list-order-page.js';
import { showOrder } from '../../../app/orders/show-order.js';
import { updateOrderStatus } from '../../../app/orders/update-order-status.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { answer, sendFailure } from '../web-reply.js';

/** The review list's buttons: send again, fulfil by hand, cancel and refund, or link the provider's order. */
function reviewResolution(body: contract.ResolutionBody): Resolution {
  switch (body.resolution) {
    case 'retry':
      return { kind: 'resend' };
    case 'manual':
      return { kind: 'manual' };
    case 'cancel':
      return { kind: 'cancel' };
    case 'link':
      return { kind: 'link', providerOrderId: body.providerOrderId ?? '' };
  }
}

/** Everyone's orders, the dispatch review list, one order's detail, and manual status moves. */
export function registerOrderRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listAdminOrders,
    config: adminRoute('orders.read'),
    handler: async (request, reply) => {
      const { page, before, status, q: search, kind, review } = request.query;
      return answer(
        reply,
        await listOrderPage(contextOf(panel, request), { page, before, status, search, kind, review }),
      );
    },
  });

  web.route({
    ...contract.showOrder,
    config: adminRoute('orders.read'),
    handler: async (request, reply) =>
      answer(reply, await showOrder(contextOf(panel, request), request.params.id)),
  });

  web.route({
    ...contract.setOrderStatus,
    config: adminRoute('orders.write'),
    handler: async (request, reply) => {
      const update = { orderId: request.params.id, ...request.body };
      return answer(reply, await updateOrderStatus(contextOf(panel, request), update));
    },
  });

  web.route({
    ...contract.resolveReview,
    config: adminRoute('orders.write'),
    handler: async (request, reply) => {
      const { id } = request.params;
      const result = await resolveReview(contextOf(panel, request), id, reviewResolution(request.body));
      if (!result.ok) return sendFailure(reply, result.failure);
      return { id, resolution: request.body.resolution };
    },
  });
}
