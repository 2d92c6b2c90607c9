import type { FastifyInstance } from 'fastify';
import { createApiKey } from '../../app/api-keys/create-api-key.js';
import { listApiKeys } from '../../app/api-keys/list-api-keys.js';
import { revokeApiKey, rotateApiKey } from '../../app/api-keys/revoke-api-key.js';
import { listCatalog } from '../../app/catalog/list-catalog.js';
import { listLedger } from '../../app/funds/list-ledger.js';
import { cancelOrders } from '../../app/orders/cancel-orders.js';
import { type ListedOrder, listOrderPage } from '../../app/orders/list-order-page.js';
import { placeMassOrder } from '../../app/orders/place-mass-order.js';
import { placeOrder } from '../../app/orders/place-order.js';
import { quoteOrder } from '../../app/orders/quote-order.js';
import { listRefillPage } from '../../app/refills/list-refill-page.js';
import { requestRefill } from '../../app/refills/request-refill.js';
import { failureMessage } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import type { Panel } from '../../panel.js';
import { describeApi } from './api-docs.js';
import {
  type IdParams,
  type OrderParamsBody,
  type PageQuery,
  idParams,
  massOrderBody,
  orderParamsBody,
  pageQuery,
} from './schemas.js';
import { sessionOf } from './web-access.js';
import { sendFailure, sendResult } from './web-reply.js';

/** What a customer sees of an order: no dispatch internals (API v2 never shows them either). */
function customerOrder(order: ListedOrder) {
  const { dispatchState: _state, dispatchError: _error, ...visible } = order;
  return visible;
}

/** The client area: every endpoint acts on the session's own user only. */
export function registerCustomerRoutes(web: FastifyInstance, panel: Panel): void {
  const ctxOf = (userId: number) => panel.contextFor({ userId });

  web.get('/dashboard', async (request) => {
    const session = sessionOf(request);
    const recent = await listOrderPage(ctxOf(session.userId), { userId: session.userId });
    return {
      balance: formatMoney(session.balance),
      recentOrders: recent.ok ? recent.value.orders.slice(0, 5).map(customerOrder) : [],
      totalOrders: recent.ok ? recent.value.total : 0,
    };
  });

  web.get('/catalog', async (request) => listCatalog(panel.ctx, sessionOf(request).userId));

  web.post<{ Body: OrderParamsBody }>(
    '/orders/quote',
    { schema: { body: orderParamsBody } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      return sendResult(reply, await quoteOrder(ctxOf(userId), userId, request.body.params));
    },
  );

  web.post<{ Body: OrderParamsBody }>(
    '/orders',
    { schema: { body: orderParamsBody } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      const { request_id: requestKey, ...params } = request.body.params;
      return sendResult(reply, await placeOrder(ctxOf(userId), { userId, params, requestKey }));
    },
  );

  web.post<{ Body: { orders: string } }>(
    '/orders/mass',
    { schema: { body: massOrderBody } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      const result = await placeMassOrder(ctxOf(userId), userId, request.body.orders);
      return sendResult(reply, result, (lines) => ({
        lines: lines.map((line) => ({
          line: line.line,
          text: line.text,
          order: line.order,
          error: line.failure === null ? null : failureMessage(line.failure),
        })),
      }));
    },
  );

  web.get<{ Querystring: PageQuery }>(
    '/orders',
    { schema: { querystring: pageQuery } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      const { page, status, q, kind } = request.query;
      const result = await listOrderPage(ctxOf(userId), { userId, page, status, search: q, kind });
      return sendResult(reply, result, (value) => ({ ...value, orders: value.orders.map(customerOrder) }));
    },
  );

  web.post<{ Params: IdParams }>(
    '/orders/:id/refill',
    { schema: { params: idParams } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      const result = await requestRefill(ctxOf(userId), userId, String(request.params.id));
      return sendResult(reply, result, (refill) => ({ refill }));
    },
  );

  web.post<{ Params: IdParams }>(
    '/orders/:id/cancel',
    { schema: { params: idParams } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      const result = await cancelOrders(ctxOf(userId), { userId, order: String(request.params.id) });
      if (!result.ok) return sendFailure(reply, result.failure);
      const outcome = result.value[0];
      if (outcome?.failure) return sendFailure(reply, outcome.failure);
      return { canceled: request.params.id };
    },
  );

  web.get<{ Querystring: PageQuery }>(
    '/refills',
    { schema: { querystring: pageQuery } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      const { page, status } = request.query;
      return sendResult(reply, await listRefillPage(ctxOf(userId), { userId, page, status }));
    },
  );

  web.get<{ Querystring: PageQuery }>(
    '/funds',
    { schema: { querystring: pageQuery } },
    async (request, reply) => {
      const session = sessionOf(request);
      const result = await listLedger(ctxOf(session.userId), session.userId, request.query.page);
      return sendResult(reply, result, (value) => ({ ...value, balance: formatMoney(session.balance) }));
    },
  );

  web.get('/api-keys', async (request) => ({
    keys: await listApiKeys(panel.ctx, sessionOf(request).userId),
  }));

  web.post('/api-keys', async (request) => {
    const { userId } = sessionOf(request);
    return createApiKey(ctxOf(userId), userId);
  });

  web.post<{ Params: IdParams }>(
    '/api-keys/:id/rotate',
    { schema: { params: idParams } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      return sendResult(reply, await rotateApiKey(ctxOf(userId), userId, request.params.id));
    },
  );

  web.post<{ Params: IdParams }>(
    '/api-keys/:id/revoke',
    { schema: { params: idParams } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      return sendResult(reply, await revokeApiKey(ctxOf(userId), userId, request.params.id), () => ({
        revoked: true,
      }));
    },
  );

  web.get('/api-docs', (request) => describeApi(panel.ctx.currency, `${request.protocol}://${request.host}`));
}
