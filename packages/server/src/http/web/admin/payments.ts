import * as contract from '@smmkit/contract';
import { addPaymentMethod } from '../../../app/payments/add-payment-method.js';
import { approveDeposit, rejectDeposit } from '../../../app/payments/decide-deposit.js';
import { readDepositTotals } from '../../../app/payments/deposit-totals.js';
import { type Deposit, listDeposits } from '../../../app/payments/list-deposits.js';
import { listPaymentMethods } from '../../../app/payments/list-payment-methods.js';
import { updatePaymentMethod } from '../../../app/payments/update-payment-method.js';
import type { Panel } from '../../../panel.js';
import { formatMoney } from '../../../domain/money.js';
import { depositAnswer } from '../customer/payments.js';
import type { WebApp } from '../web-app.js';
import { adminRoute, contextOf } from '../web-access.js';
import { answer, sendFailure } from '../web-reply.js';

export function adminDeposit(deposit: Deposit): contract.AdminDeposit {
  return { ...depositAnswer(deposit), userId: deposit.userId, username: deposit.username };
}

/** Admin › Payments: methods (secrets masked), every deposit with filters, approve and reject. */
export function registerPaymentRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listAdminPaymentMethods,
    config: adminRoute('payments.read'),
    handler: async () => ({ methods: await listPaymentMethods(panel.ctx, { enabledOnly: false }) }),
  });

  web.route({
    ...contract.addPaymentMethod,
    config: adminRoute('payments.settings'),
    handler: async (request, reply) =>
      answer(reply, await addPaymentMethod(contextOf(panel, request), request.body)),
  });

  web.route({
    ...contract.updatePaymentMethod,
    config: adminRoute('payments.settings'),
    handler: async (request, reply) =>
      answer(reply, await updatePaymentMethod(contextOf(panel, request), request.params.id, request.body)),
  });

  web.route({
    ...contract.listAdminDeposits,
    config: adminRoute('payments.read'),
    handler: async (request, reply) => {
      const { page = 1, status, method } = request.query;
      const result = await listDeposits(panel.ctx, { status, methodId: method, page });
      if (!result.ok) return sendFailure(reply, result.failure);
      return { deposits: result.value.map(adminDeposit), page };
    },
  });

  web.route({
    ...contract.approveDeposit,
    config: adminRoute('payments.decide'),
    handler: async (request, reply) => {
      const result = await approveDeposit(contextOf(panel, request), request.params.id);
      return result.ok ? adminDeposit(result.value) : sendFailure(reply, result.failure);
    },
  });

  web.route({
    ...contract.rejectDeposit,
    config: adminRoute('payments.decide'),
    handler: async (request, reply) => {
      const result = await rejectDeposit(contextOf(panel, request), request.params.id, request.body.reason);
      return result.ok ? adminDeposit(result.value) : sendFailure(reply, result.failure);
    },
  });

  web.route({
    ...contract.getDepositDailyTotals,
    config: adminRoute('payments.read'),
    handler: async (request) => {
      const { days, totals } = await readDepositTotals(contextOf(panel, request));
      return {
        days,
        totals: totals.map((total) => ({
          date: total.date,
          method: total.methodId,
          methodName: total.methodName,
          count: total.count,
          sum: formatMoney(total.sum),
        })),
      };
    },
  });
}
