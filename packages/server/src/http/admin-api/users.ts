import { ADMIN_API } from '@smmkit/contract/admin-api';
import { addFunds } from '../../app/funds/add-funds.js';
import { createUser } from '../../app/users/create-user.js';
import { listUsers } from '../../app/users/list-users.js';
import { setUserStatus } from '../../app/users/set-user-status.js';
import { formatMoney, parseMoney } from '../../domain/money.js';
import { ok } from '../../domain/errors.js';
import type { Panel } from '../../panel.js';
import { callerContext } from './admin-api-access.js';
import { type AdminApiApp, adminApiRoute, readPaging } from './admin-api-route.js';
import { newestFirstPage } from './cursor.js';
import { answerOrProblem, sendFailureProblem } from './problem.js';

/** Users: list and search, create a customer, suspend and unsuspend, adjust a balance with a memo. */
export function registerUserEndpoints(api: AdminApiApp, panel: Panel): void {
  api.route({
    ...adminApiRoute(ADMIN_API.listUsers),
    handler: async (request, reply) => {
      const paging = readPaging(reply, request.query, 'b');
      if (paging === null) return reply;
      const ctx = callerContext(panel, request);
      const page = await newestFirstPage(paging.position, paging.limit, async (keyset) => {
        const result = await listUsers(ctx, { search: request.query.q, keyset });
        return result.ok ? ok(result.value.users) : result;
      });
      return answerOrProblem(reply, page);
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.createUser),
    handler: async (request, reply) => {
      const { username, password, email } = request.body;
      const input = { username, password, email, role: 'customer' as const };
      return answerOrProblem(reply, await createUser(callerContext(panel, request), input));
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.setUserStatus),
    handler: async (request, reply) => {
      const input = { userId: request.params.id, status: request.body.status };
      return answerOrProblem(reply, await setUserStatus(callerContext(panel, request), input));
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.adjustBalance),
    handler: async (request, reply) => {
      const amount = parseMoney(request.body.amount);
      if (amount === null) {
        return sendFailureProblem(reply, {
          code: 'INVALID_INPUT',
          field: 'amount',
          reason: 'an amount with up to 5 decimals, e.g. 25 or -3.5',
        });
      }
      const input = { userId: request.params.id, amount, memo: request.body.memo.trim() };
      const result = await addFunds(callerContext(panel, request), input);
      if (!result.ok) return sendFailureProblem(reply, result.failure);
      return { balance: formatMoney(result.value.balance) };
    },
  });
}
