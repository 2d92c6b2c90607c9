import { ADMIN_API } from '@smmkit/contract/admin-api';
import { approveDeposit, rejectDeposit } from '../../app/payments/decide-deposit.js';
import { listDeposits } from '../../app/payments/list-deposits.js';
import { ok } from '../../domain/errors.js';
import type { Panel } from '../../panel.js';
import { adminDeposit } from '../web/admin/payments.js';
import { callerContext } from './admin-api-access.js';
import { type AdminApiApp, adminApiRoute, readPaging } from './admin-api-route.js';
import { newestFirstPage } from './cursor.js';
import { answerOrProblem, sendFailureProblem } from './problem.js';

/** Deposits: list (the review list with status=review), show, approve, reject. */
export function registerPaymentEndpoints(api: AdminApiApp, panel: Panel): void {
  api.route({
    ...adminApiRoute(ADMIN_API.listDeposits),
    handler: async (request, reply) => {
      const paging = readPaging(reply, request.query, 'b');
      if (paging === null) return reply;
      const ctx = callerContext(panel, request);
      const { status, method } = request.query;
      const page = await newestFirstPage(paging.position, paging.limit, async (keyset) => {
        const result = await listDeposits(ctx, { status, methodId: method, keyset });
        return result.ok ? ok(result.value.map(adminDeposit)) : result;
      });
      return answerOrProblem(reply, page);
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.showDeposit),
    handler: async (request, reply) => {
      const { id } = request.params;
      const result = await listDeposits(callerContext(panel, request), { id, keyset: { limit: 1 } });
      if (!result.ok) return sendFailureProblem(reply, result.failure);
      const deposit = result.value[0];
      return deposit ? adminDeposit(deposit) : sendFailureProblem(reply, { code: 'DEPOSIT_NOT_FOUND', id });
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.approveDeposit),
    handler: async (request, reply) => {
      const result = await approveDeposit(callerContext(panel, request), request.params.id);
      return answerOrProblem(reply, result.ok ? ok(adminDeposit(result.value)) : result);
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.rejectDeposit),
    handler: async (request, reply) => {
      const ctx = callerContext(panel, request);
      const result = await rejectDeposit(ctx, request.params.id, request.body.reason);
      return answerOrProblem(reply, result.ok ? ok(adminDeposit(result.value)) : result);
    },
  });
}
