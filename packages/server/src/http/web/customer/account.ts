import * as contract from '@smmkit/contract';
import { createApiKey } from '../../../app/api-keys/create-api-key.js';
import { listApiKeys } from '../../../app/api-keys/list-api-keys.js';
import { revokeApiKey, rotateApiKey } from '../../../app/api-keys/revoke-api-key.js';
import { listCatalog } from '../../../app/catalog/list-catalog.js';
import { listServiceUpdates } from '../../../app/catalog/list-service-updates.js';
import { listLedger } from '../../../app/funds/list-ledger.js';
import { formatMoney } from '../../../domain/money.js';
import type { Panel } from '../../../panel.js';
import { describeApi } from '../api-docs.js';
import type { WebApp } from '../web-app.js';
import { contextOf, sessionOf } from '../web-access.js';
import { answer, sendFailure } from '../web-reply.js';

/** The customer's account: the price list, the balance history, API keys and the API page. */
export function registerCustomerAccountRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.getCatalog,
    handler: async (request) => listCatalog(panel.ctx, sessionOf(request).userId),
  });

  web.route({
    ...contract.listServiceUpdates,
    handler: async (request, reply) => answer(reply, await listServiceUpdates(panel.ctx, request.query)),
  });

  web.route({
    ...contract.listFunds,
    handler: async (request, reply) => {
      const session = sessionOf(request);
      const result = await listLedger(contextOf(panel, request), session.userId, request.query.page);
      if (!result.ok) return sendFailure(reply, result.failure);
      return { ...result.value, balance: formatMoney(session.balance) };
    },
  });

  web.route({
    ...contract.listApiKeys,
    handler: async (request) => ({ keys: await listApiKeys(panel.ctx, sessionOf(request).userId) }),
  });

  web.route({
    ...contract.createApiKey,
    handler: async (request, reply) =>
      answer(
        reply,
        await createApiKey(contextOf(panel, request), sessionOf(request).userId, panel.maxApiKeys),
      ),
  });

  web.route({
    ...contract.rotateApiKey,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      return answer(reply, await rotateApiKey(contextOf(panel, request), userId, request.params.id));
    },
  });

  web.route({
    ...contract.revokeApiKey,
    handler: async (request, reply) => {
      const { userId } = sessionOf(request);
      const result = await revokeApiKey(contextOf(panel, request), userId, request.params.id);
      if (!result.ok) return sendFailure(reply, result.failure);
      return { revoked: true as const };
    },
  });

  web.route({
    ...contract.getApiDocs,
    handler: (request) => describeApi(panel.ctx.currency, `${request.protocol}://${request.host}`),
  });
}
