import * as contract from '@smmkit/contract';
import { setUserRate } from '../../../app/catalog/set-user-rate.js';
import { addFunds } from '../../../app/funds/add-funds.js';
import { listLedger } from '../../../app/funds/list-ledger.js';
import { listUsers } from '../../../app/users/list-users.js';
import { setUserRateLimitPerMinute } from '../../../app/users/set-user-rate-limit.js';
import { setUserStatus } from '../../../app/users/set-user-status.js';
import { showUserAccess } from '../../../app/users/show-user-access.js';
import { formatMoney, parseMoney } from '../../../domain/money.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { answer, sendFailure } from '../web-reply.js';

/** Users: search, sessions and API keys, balance adjustments with a memo, custom rates, API rate limits, suspension. */
export function registerUserRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listUsers,
    config: adminRoute('users.read'),
    handler: async (request, reply) => {
      const { q: search, page } = request.query;
      return answer(reply, await listUsers(contextOf(panel, request), { search, page }));
    },
  });

  web.route({
    ...contract.getUserLedger,
    config: adminRoute('users.read'),
    handler: async (request, reply) =>
      answer(reply, await listLedger(contextOf(panel, request), request.params.id, request.query.page)),
  });

  web.route({
    ...contract.getUserAccess,
    config: adminRoute('users.read'),
    handler: async (request, reply) =>
      answer(reply, await showUserAccess(contextOf(panel, request), request.params.id)),
  });

  web.route({
    ...contract.addUserFunds,
    config: adminRoute('users.funds'),
    handler: async (request, reply) => {
      const amount = parseMoney(request.body.amount);
      if (amount === null) {
        return sendFailure(reply, {
          code: 'INVALID_INPUT',
          field: 'amount',
          reason: 'an amount with up to 5 decimals, e.g. 25 or -3.5',
        });
      }
      const memo = request.body.memo.trim();
      const result = await addFunds(contextOf(panel, request), { userId: request.params.id, amount, memo });
      if (!result.ok) return sendFailure(reply, result.failure);
      return { balance: formatMoney(result.value.balance) };
    },
  });

  web.route({
    ...contract.setUserRate,
    config: adminRoute('users.write'),
    handler: async (request, reply) => {
      const { service: serviceId, rate } = request.body;
      const given = rate === null || rate.trim() === '' ? null : rate;
      const input = { userId: request.params.id, serviceId, rate: given };
      return answer(reply, await setUserRate(contextOf(panel, request), input));
    },
  });

  web.route({
    ...contract.setUserRateLimit,
    config: adminRoute('users.write'),
    handler: async (request, reply) => {
      const input = { user: { id: request.params.id }, perMinute: request.body.perMinute };
      return answer(reply, await setUserRateLimitPerMinute(contextOf(panel, request), input));
    },
  });

  web.route({
    ...contract.setUserStatus,
    config: adminRoute('users.write'),
    handler: async (request, reply) => {
      const input = { userId: request.params.id, status: request.body.status };
      return answer(reply, await setUserStatus(contextOf(panel, request), input));
    },
  });
}
