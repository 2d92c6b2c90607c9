import * as contract from '@smmkit/contract';
import { listCurrencies } from '../../../app/currencies/list-currencies.js';
import { setDisplayCurrency } from '../../../app/currencies/set-display-currency.js';
import { setExchangeRateByAdmin } from '../../../app/currencies/set-exchange-rate.js';
import { setRateFeed } from '../../../app/currencies/set-rate-feed.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { sendFailure } from '../web-reply.js';

/** The exchange-rate table: rates to the panel's currency, their history and the rate feed. */
export function registerCurrencyRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listCurrencies,
    config: adminRoute('providers.read'),
    handler: async (request) => listCurrencies(contextOf(panel, request)),
  });

  web.route({
    ...contract.setExchangeRate,
    config: adminRoute('providers.write'),
    handler: async (request, reply) => {
      const ctx = contextOf(panel, request);
      const set = await setExchangeRateByAdmin(ctx, request.body);
      return set.ok ? listCurrencies(ctx) : sendFailure(reply, set.failure);
    },
  });

  web.route({
    ...contract.setRateFeed,
    config: adminRoute('providers.write'),
    handler: async (request, reply) => {
      const ctx = contextOf(panel, request);
      const set = await setRateFeed(ctx, request.body);
      return set.ok ? listCurrencies(ctx) : sendFailure(reply, set.failure);
    },
  });

  web.route({
    ...contract.setDisplayCurrency,
    config: adminRoute('settings.write'),
    handler: async (request, reply) => {
      const ctx = contextOf(panel, request);
      const set = await setDisplayCurrency(ctx, request.body);
      return set.ok ? listCurrencies(ctx) : sendFailure(reply, set.failure);
    },
  });
}
