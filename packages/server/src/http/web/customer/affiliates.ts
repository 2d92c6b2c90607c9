import * as contract from '@smmkit/contract';
import { requestPayout } from '../../../app/affiliates/request-payout.js';
import { showAffiliate } from '../../../app/affiliates/show-affiliate.js';
import { PAYOUT_METHODS } from '../../../domain/affiliates.js';
import { formatPercent } from '../../../domain/deposits.js';
import { formatMoney } from '../../../domain/money.js';
import type { Panel } from '../../../panel.js';
import type { Payout } from '../../../app/affiliates/request-payout.js';
import type { WebApp } from '../web-app.js';
import { contextOf, sessionOf } from '../web-access.js';
import { sendFailure } from '../web-reply.js';
import { publicUrlOf } from './payments.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function payoutAnswer(payout: Payout): contract.AffiliatePayout {
  return {
    id: payout.id,
    amount: formatMoney(payout.amount),
    method: payout.method,
    status: payout.status,
    createdAt: iso(payout.createdAt),
    paidAt: payout.paidAt === null ? null : iso(payout.paidAt),
  };
}

/** The customer's Affiliates page: their link and what it brought, and payouts of their commission. */
export function registerCustomerAffiliateRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.getAffiliate,
    handler: async (request) => {
      const view = await showAffiliate(panel.ctx, sessionOf(request).userId);
      const { affiliate, settings } = view;
      return {
        code: affiliate.code,
        link: `${publicUrlOf(panel, request)}/ref/${affiliate.code}`,
        visits: affiliate.visits,
        signups: view.signups,
        earned: formatMoney(affiliate.earned),
        pending: formatMoney(view.pending),
        paidOut: formatMoney(view.paidOut),
        requested: formatMoney(view.requested),
        payingCustomers: view.payingCustomers,
        conversionPercent: formatPercent(view.conversionBps),
        commissionPercent: formatPercent(view.commissionBps),
        minimumPayout: formatMoney(settings.minimumPayout),
        cookieDays: settings.cookieDays,
        payoutMethods: settings.manualPayouts ? PAYOUT_METHODS : (['balance'] as const),
        canRequestPayout: view.canRequestPayout,
        commissions: view.commissions.map((commission) => ({
          id: commission.id,
          kind: commission.kind,
          base: formatMoney(commission.base),
          percent: formatPercent(commission.rateBps),
          amount: formatMoney(commission.amount),
          createdAt: iso(commission.createdAt),
        })),
        payouts: view.payouts.map(payoutAnswer),
      };
    },
  });

  web.route({
    ...contract.requestAffiliatePayout,
    handler: async (request, reply) => {
      const result = await requestPayout(contextOf(panel, request), {
        userId: sessionOf(request).userId,
        method: request.body.to,
      });
      return result.ok ? payoutAnswer(result.value) : sendFailure(reply, result.failure);
    },
  });
}
