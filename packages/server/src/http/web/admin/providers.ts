import * as contract from '@smmkit/contract';
import { addProvider } from '../../../app/providers/add-provider.js';
import { importProviderServices } from '../../../app/providers/import-provider-services.js';
import { listProviders } from '../../../app/providers/list-providers.js';
import { providerBalance } from '../../../app/providers/provider-balance.js';
import { syncProviderServices } from '../../../app/providers/sync-provider-services.js';
import { parseFixedMarkup, parseMarkupPercent } from '../../../domain/markup.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { answer, sendFailure } from '../web-reply.js';
import { INVALID_FIXED, INVALID_MARKUP, readUnlessBlank } from './markup-input.js';

/** Upstream providers: add, import and sync their services, ask their balance. */
export function registerProviderRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listProviders,
    config: adminRoute('providers.read'),
    handler: async (request) => ({ providers: await listProviders(contextOf(panel, request)) }),
  });

  web.route({
    ...contract.addProvider,
    config: adminRoute('providers.write'),
    handler: async (request, reply) =>
      answer(reply, await addProvider(contextOf(panel, request), request.body)),
  });

  web.route({
    ...contract.importServices,
    config: adminRoute('providers.sync'),
    handler: async (request, reply) => {
      const { markup, fixed, categoryPrefix } = request.body;
      // Blank parts: the provider's remembered markup (the use case's rule).
      const percentHundredths = readUnlessBlank(markup, parseMarkupPercent);
      if (percentHundredths === null) return sendFailure(reply, INVALID_MARKUP);
      const fixedAmount = readUnlessBlank(fixed, parseFixedMarkup);
      if (fixedAmount === null) return sendFailure(reply, INVALID_FIXED);
      const result = await importProviderServices(contextOf(panel, request), {
        providerId: request.params.id,
        markup: {
          ...(percentHundredths === undefined ? {} : { percentHundredths }),
          ...(fixedAmount === undefined ? {} : { fixed: fixedAmount }),
        },
        categoryPrefix,
      });
      return answer(reply, result);
    },
  });

  web.route({
    ...contract.syncServices,
    config: adminRoute('providers.sync'),
    handler: async (request, reply) =>
      answer(reply, await syncProviderServices(contextOf(panel, request), request.params.id)),
  });

  web.route({
    ...contract.getProviderBalance,
    config: adminRoute('providers.read'),
    handler: async (request, reply) =>
      answer(reply, await providerBalance(contextOf(panel, request), request.params.id)),
  });
}
