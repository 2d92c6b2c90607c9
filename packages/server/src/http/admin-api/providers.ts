import { ADMIN_API } from '@smmkit/contract/admin-api';
import { listProviders } from '../../app/providers/list-providers.js';
import { providerBalance } from '../../app/providers/provider-balance.js';
import { syncProviderServices } from '../../app/providers/sync-provider-services.js';
import type { Panel } from '../../panel.js';
import { callerContext } from './admin-api-access.js';
import { type AdminApiApp, adminApiRoute, readPaging } from './admin-api-route.js';
import { byIdPage } from './cursor.js';
import { answerOrProblem } from './problem.js';

/** Providers: list (keys masked), ask a balance, sync services. */
export function registerProviderEndpoints(api: AdminApiApp, panel: Panel): void {
  api.route({
    ...adminApiRoute(ADMIN_API.listProviders),
    handler: async (request, reply) => {
      const paging = readPaging(reply, request.query, 'a');
      if (paging === null) return reply;
      return byIdPage(await listProviders(callerContext(panel, request)), paging.position, paging.limit);
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.providerBalance),
    handler: async (request, reply) =>
      answerOrProblem(reply, await providerBalance(callerContext(panel, request), request.params.id)),
  });

  api.route({
    ...adminApiRoute(ADMIN_API.syncProvider),
    handler: async (request, reply) =>
      answerOrProblem(reply, await syncProviderServices(callerContext(panel, request), request.params.id)),
  });
}
