import { ADMIN_API } from '@smmkit/contract/admin-api';
import { createService } from '../../app/catalog/create-service.js';
import { listAdminCatalog } from '../../app/catalog/list-admin-catalog.js';
import { newServiceDraft } from '../../app/catalog/service-draft.js';
import { updateService } from '../../app/catalog/update-service.js';
import type { Panel } from '../../panel.js';
import { callerContext } from './admin-api-access.js';
import { type AdminApiApp, adminApiRoute, readPaging } from './admin-api-route.js';
import { byIdPage } from './cursor.js';
import { answerOrProblem, sendFailureProblem } from './problem.js';

/** Services and categories: list, show, create and change as the web admin does. */
export function registerCatalogEndpoints(api: AdminApiApp, panel: Panel): void {
  api.route({
    ...adminApiRoute(ADMIN_API.listCategories),
    handler: async (request, reply) => {
      const paging = readPaging(reply, request.query, 'a');
      if (paging === null) return reply;
      const { categories } = await listAdminCatalog(callerContext(panel, request));
      return byIdPage(categories, paging.position, paging.limit);
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.listServices),
    handler: async (request, reply) => {
      const paging = readPaging(reply, request.query, 'a');
      if (paging === null) return reply;
      const { services } = await listAdminCatalog(callerContext(panel, request));
      return byIdPage(services, paging.position, paging.limit);
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.showService),
    handler: async (request, reply) => {
      const { services } = await listAdminCatalog(callerContext(panel, request));
      const service = services.find((candidate) => candidate.id === request.params.id);
      return service ?? sendFailureProblem(reply, { code: 'SERVICE_NOT_FOUND', id: request.params.id });
    },
  });

  api.route({
    ...adminApiRoute(ADMIN_API.createService),
    handler: async (request, reply) =>
      answerOrProblem(
        reply,
        await createService(callerContext(panel, request), newServiceDraft(request.body)),
      ),
  });

  api.route({
    ...adminApiRoute(ADMIN_API.updateService),
    handler: async (request, reply) =>
      answerOrProblem(
        reply,
        await updateService(callerContext(panel, request), request.params.id, request.body),
      ),
  });
}
