import * as contract from '@smmkit/contract';
import {
  readAffiliateSettings,
  updateAffiliateSettings,
} from '../../../app/affiliates/affiliate-settings.js';
import {
  AFFILIATES_PAGE_SIZE,
  listAffiliates,
  listPayoutRequests,
} from '../../../app/affiliates/list-affiliates.js';
import { markAffiliatePayoutPaid } from '../../../app/affiliates/mark-payout-paid.js';
import { setAffiliateCommission } from '../../../app/affiliates/set-commission-override.js';
import type { AffiliateSettings } from '../../../domain/affiliates.js';
import { formatPercent } from '../../../domain/deposits.js';
import { formatMoney } from '../../../domain/money.js';
import type { Panel } from '../../../panel.js';
import type { Payout } from '../../../app/affiliates/request-payout.js';
import { payoutAnswer } from '../customer/affiliates.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { sendFailure } from '../web-reply.js';

const payoutRequest = (payout: Payout): contract.PayoutRequest => ({
  ...payoutAnswer(payout),
  affiliate: payout.affiliateName,
});

const settingsAnswer = (settings: AffiliateSettings): contract.AffiliateSettings => ({
  commissionPercent: formatPercent(settings.commissionBps),
  cookieDays: settings.cookieDays,
  minimumPayout: formatMoney(settings.minimumPayout),
  manualPayouts: settings.manualPayouts,
});

/** Affiliates: the list with per-affiliate overrides, payout requests to pay by hand, the settings. */
export function registerAffiliateRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listAffiliates,
    config: adminRoute('users.read'),
    handler: async (request) => {
      const page = request.query.page ?? 1;
      const { affiliates, total } = await listAffiliates(panel.ctx, page);
      return {
        total,
        affiliates: affiliates.map((affiliate) => ({
          userId: affiliate.userId,
          username: affiliate.username,
          code: affiliate.code,
          commissionPercent: affiliate.commissionBps === null ? null : formatPercent(affiliate.commissionBps),
          visits: affiliate.visits,
          signups: affiliate.signups,
          earned: formatMoney(affiliate.earned),
          pending: formatMoney(affiliate.earned - affiliate.withdrawn),
        })),
        page,
        pageSize: AFFILIATES_PAGE_SIZE,
      };
    },
  });

  web.route({
    ...contract.setAffiliateCommission,
    config: adminRoute('users.write'),
    handler: async (request, reply) => {
      const result = await setAffiliateCommission(contextOf(panel, request), {
        userId: request.params.id,
        commissionPercent: request.body.commissionPercent,
      });
      if (!result.ok) return sendFailure(reply, result.failure);
      const { userId, commissionBps } = result.value;
      return { userId, commissionPercent: commissionBps === null ? null : formatPercent(commissionBps) };
    },
  });

  web.route({
    ...contract.listPayoutRequests,
    config: adminRoute('payments.read'),
    handler: async () => ({ payouts: (await listPayoutRequests(panel.ctx)).map(payoutRequest) }),
  });

  web.route({
    ...contract.markPayoutPaid,
    config: adminRoute('payments.decide'),
    handler: async (request, reply) => {
      const result = await markAffiliatePayoutPaid(contextOf(panel, request), request.params.id);
      return result.ok ? payoutRequest(result.value) : sendFailure(reply, result.failure);
    },
  });

  web.route({
    ...contract.getAffiliateSettings,
    config: adminRoute('dashboard.read'),
    handler: async () => settingsAnswer(await readAffiliateSettings(panel.ctx.db)),
  });

  web.route({
    ...contract.saveAffiliateSettings,
    config: adminRoute('settings.write'),
    handler: async (request, reply) => {
      const result = await updateAffiliateSettings(contextOf(panel, request), request.body);
      return result.ok ? settingsAnswer(result.value) : sendFailure(reply, result.failure);
    },
  });
}
