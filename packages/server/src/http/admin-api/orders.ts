import { ADMIN_API } from '@smmkit/contract/admin-api';
import { listOrderPage } from '../../app/orders/list-order-page.js';
import { showOrder } from '../../app/orders/show-order.js';
import { updateOrderStatus } from '../../app/orders/update-order-status.js';
import { listRefillPage } from '../../app/refills/list-refill-page.js';
import { ok } from '../../domain/errors.js';
import type { Panel } from '../../panel.js';
import { callerContext } from './admin-api-access.js';
import { type AdminApiApp, adminApiRoute, readPaging } from './admin-api-route.js';
import { newestFirstPage } from './cursor.js';
import { answerOrProblem, sendFailureProblem } from './problem.js';

/** An ISO time as epoch ms; undefined when absent, null when it is no time. */
function epochOf(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** Orders (filtered list, show, status change) and refills (list, show). */
export function registerOrderEndpoints(api: AdminApiApp, panel: Panel): void {
  api.route({
    ...adminApiRoute(ADMIN_API.listOrders),
    handler: async (request, reply) => {
      const paging = readPaging(reply, request.query, 'b');
      if (paging === null) return reply;
      const { status, user, service, provider } = request.query;
      const createdFrom = epochOf(request.query.created_from);
      const createdBefore = epochOf(request.query.created_to);
      for (const [field, value] of [
        ['created_from', createdFrom],
        ['created_to', createdBefore],
      ] as const) {
        if (value === null) {
          return sendFailureProblem(reply, { code: 'INVALID_INPUT', field, reason: 'an ISO 8601 time' });
        }
      }
      const ctx = callerContext(panel, request);
      const page = await newestFirstPage(paging.position, paging.limit, async (keyset) => {
        const query = {
          status,
          userId: user,
          serviceId: service,
          providerId: provider,
          createdFrom: createdFrom ?? undefined,
          createdBefore: createdBefore ?? undefined,
          keyset,
        };
        const result = await listOrderPage(ctx, query);
        return result.ok ? ok(result.value.orders) : result;
      });
      return answerOrProblem(reply, page);
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.showOrder),
    handler: async (request, reply) =>
      answerOrProblem(reply, await showOrder(callerContext(panel, request), request.params.id)),
  });

  api.route({
    ...adminApiRoute(ADMIN_API.setOrderStatus),
    handler: async (request, reply) => {
      const update = { orderId: request.params.id, ...request.body };
      return answerOrProblem(reply, await updateOrderStatus(callerContext(panel, request), update));
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.listRefills),
    handler: async (request, reply) => {
      const paging = readPaging(reply, request.query, 'b');
      if (paging === null) return reply;
      const ctx = callerContext(panel, request);
      const page = await newestFirstPage(paging.position, paging.limit, async (keyset) => {
        const result = await listRefillPage(ctx, { status: request.query.status, keyset });
        return result.ok ? ok(result.value.refills) : result;
      });
      return answerOrProblem(reply, page);
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.showRefill),
    handler: async (request, reply) => {
      const result = await listRefillPage(callerContext(panel, request), {
        id: request.params.id,
        keyset: { limit: 1 },
      });
      if (!result.ok) return sendFailureProblem(reply, result.failure);
      return result.value.refills[0] ?? sendFailureProblem(reply, { code: 'REFILL_NOT_FOUND' });
    },
  });
}
