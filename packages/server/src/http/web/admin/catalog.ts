import * as contract from '@smmkit/contract';
import { createService } from '../../../app/catalog/create-service.js';
import { listAdminCatalog } from '../../../app/catalog/list-admin-catalog.js';
import { reorderCatalog } from '../../../app/catalog/reorder-catalog.js';
import { repriceServices } from '../../../app/catalog/reprice-services.js';
import { newServiceDraft } from '../../../app/catalog/service-draft.js';
import { setServicesEnabled } from '../../../app/catalog/set-services-enabled.js';
import { updateService } from '../../../app/catalog/update-service.js';
import { parseFixedMarkup, parseMarkupPercent } from '../../../domain/markup.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { answer, sendFailure } from '../web-reply.js';
import { INVALID_FIXED, INVALID_MARKUP, readUnlessBlank } from './markup-input.js';

/** The catalogue: services and categories, their order, bulk switches and provider-based pricing. */
export function registerCatalogRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.getAdminCatalog,
    config: adminRoute('services.read'),
    handler: async (request) => listAdminCatalog(contextOf(panel, request)),
  });

  web.route({
    ...contract.createService,
    config: adminRoute('services.write'),
    handler: async (request, reply) =>
      answer(reply, await createService(contextOf(panel, request), newServiceDraft(request.body))),
  });

  web.route({
    ...contract.updateService,
    config: adminRoute('services.write'),
    handler: async (request, reply) =>
      answer(reply, await updateService(contextOf(panel, request), request.params.id, request.body)),
  });

  web.route({
    ...contract.enableServices,
    config: adminRoute('services.write'),
    handler: async (request, reply) =>
      answer(reply, await setServicesEnabled(contextOf(panel, request), request.body)),
  });

  web.route({
    ...contract.reorderCatalog,
    config: adminRoute('services.write'),
    handler: async (request, reply) =>
      answer(reply, await reorderCatalog(contextOf(panel, request), request.body)),
  });

  web.route({
    ...contract.repriceServices,
    config: adminRoute('services.write'),
    handler: async (request, reply) => {
      const percentHundredths = parseMarkupPercent(request.body.markup);
      if (percentHundredths === null) return sendFailure(reply, INVALID_MARKUP);
      const fixed = readUnlessBlank(request.body.fixed, parseFixedMarkup);
      if (fixed === null) return sendFailure(reply, INVALID_FIXED);
      // A blank fixed part adds nothing.
      const markup = { percentHundredths, fixed: fixed ?? 0n };
      return answer(
        reply,
        await repriceServices(contextOf(panel, request), { ids: request.body.ids, markup }),
      );
    },
  });
}
