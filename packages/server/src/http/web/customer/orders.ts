import * as contract from '@smmkit/contract';
import { actOnOrders } from '../../../app/orders/act-on-orders.js';
import { cancelOrders } from '../../../app/orders/cancel-orders.js';
import { countOrdersByStatus } from '../../../app/orders/count-orders-by-status.js';
import { type ListedOrder, listOrderPage } from '../../../app/orders/list-order-page.js';
import type { OrderRecord } from '../../../app/orders/order-record.js';
import { placeMassOrder } from '../../../app/orders/place-mass-order.js';
import { placeOrder } from '../../../app/orders/place-order.js';
import { quoteOrder } from '../../../app/orders/quote-order.js';
import { listRefillPage } from '../../../app/refills/list-refill-page.js';
import { requestRefill } from '../../../app/refills/request-refill.js';
import { failureMessage } from '../../../domain/errors.js';
import { formatMoney } from '../../../domain/money.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { limitWebOrdering } from './ordering-rate-limit.js';
import { contextOf, sessionOf } from '../web-access.js';
import { answer, sendFailure } from '../web-reply.js';

/**
 * What a customer sees of an order (and of its runs or posts): nothing of how or where the panel
 * fulfils it, nor what it costs the panel (API v2 never shows them either).
 */
function customerRecord<T extends OrderRecord>(order: T) {
  const {
    dispatch: _dispatch,
    providerId: _providerId,
    providerOrderId: _providerOrderId,
    dispatchError: _dispatchError,
    providerCost: _providerCost,
    cost: _cost,
    profit: _profit,
    ...visible
  } = order;
  return visible;
}

function customerOrder(order: ListedOrder) {
  const { dispatchState: _state, children, ...listed } = order;
  return { ...customerRecord(listed), children: children.map(customerRecord) };
}

/** The customer's orders: quote, place (one or many), list, refill, cancel; and their refills. */
export function registerCustomerOrderRoutes(web: WebApp, panel: Panel): void {
  const ordering = limitWebOrdering(panel);
  web.route({
    ...contract.getDashboard,
    handler: async (request) => {
      const session = sessionOf(request);
      const recent = await listOrderPage(contextOf(panel, request), { userId: session.userId });
      return {
        balance: formatMoney(session.balance),
        recentOrders: recent.ok ? recent.value.orders.slice(0, 5).map(customerOrder) : [],
        totalOrders: recent.ok ? recent.value.total : 0,
      };
    },
  });

  web.route({
    ...contract.quoteOrder,
    preHandler: ordering,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      return answer(reply, await quoteOrder(contextOf(panel, request), userId, request.body.params));
    },
  });

  web.route({
    ...contract.placeOrder,
    preHandler: ordering,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const { request_id: requestKey, ...params } = request.body.params;
      return answer(reply, await placeOrder(contextOf(panel, request), { userId, params, requestKey }));
    },
  });

  web.route({
    ...contract.placeMassOrder,
    preHandler: ordering,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const result = await placeMassOrder(contextOf(panel, request), userId, request.body.orders);
      if (!result.ok) return sendFailure(reply, result.failure);
      return {
        lines: result.value.map((line) => ({
          line: line.line,
          text: line.text,
          order: line.order,
          error: line.failure === null ? null : failureMessage(line.failure),
        })),
      };
    },
  });

  web.route({
    ...contract.listOrders,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const { page, before, status, q, kind } = request.query;
      const ctx = contextOf(panel, request);
      const [result, counts] = await Promise.all([
        listOrderPage(ctx, { userId, page, before, status, search: q, kind }),
        countOrdersByStatus(ctx, { userId, search: q }),
      ]);
      if (!result.ok) return sendFailure(reply, result.failure);
      return { ...result.value, orders: result.value.orders.map(customerOrder), counts };
    },
  });

  web.route({
    ...contract.actOnOrders,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const { action, orders } = request.body;
      const result = await actOnOrders(contextOf(panel, request), { userId, action, orders });
      if (!result.ok) return sendFailure(reply, result.failure);
      return { results: result.value };
    },
  });

  web.route({
    ...contract.requestRefill,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const result = await requestRefill(contextOf(panel, request), userId, String(request.params.id));
      if (!result.ok) return sendFailure(reply, result.failure);
      return { refill: result.value };
    },
  });

  web.route({
    ...contract.cancelOrder,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const result = await cancelOrders(contextOf(panel, request), {
        userId,
        order: String(request.params.id),
      });
      if (!result.ok) return sendFailure(reply, result.failure);
      const outcome = result.value[0];
      if (outcome?.failure) return sendFailure(reply, outcome.failure);
      return { canceled: request.params.id };
    },
  });

  web.route({
    ...contract.listRefills,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const { page, status } = request.query;
      return answer(reply, await listRefillPage(contextOf(panel, request), { userId, page, status }));
    },
  });
}
