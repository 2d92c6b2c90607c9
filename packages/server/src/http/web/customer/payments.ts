import * as contract from '@smmkit/contract';
import type { FastifyRequest } from 'fastify';
import { createDeposit } from '../../../app/payments/create-deposit.js';
import { type Deposit, listDeposits } from '../../../app/payments/list-deposits.js';
import { listPaymentMethods } from '../../../app/payments/list-payment-methods.js';
import { quoteDeposit } from '../../../app/payments/quote-deposit.js';
import { formatMoney } from '../../../domain/money.js';
import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { contextOf, sessionOf } from '../web-access.js';
import { sendFailure } from '../web-reply.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A deposit on the wire: money with 5 decimals, times as ISO strings. */
export function depositAnswer(deposit: Deposit): contract.Deposit {
  return {
    id: deposit.id,
    method: deposit.methodId,
    methodName: deposit.methodName,
    gateway: deposit.gateway,
    amount: formatMoney(deposit.amount),
    fee: formatMoney(deposit.fee),
    payAmount: formatMoney(deposit.payAmount),
    bonus: formatMoney(deposit.bonus),
    currency: deposit.currency,
    status: deposit.status,
    reference: deposit.reference,
    reason: deposit.reason,
    redirectUrl: deposit.status === 'pending' ? deposit.redirectUrl : null,
    createdAt: new Date(deposit.createdAt).toISOString(),
    paidAt: iso(deposit.paidAt),
    expiresAt: iso(deposit.expiresAt),
  };
}

/** The panel's address as gateways and browsers reach it: SMMKIT_PUBLIC_URL, else this request's host. */
export function publicUrlOf(panel: Panel, request: FastifyRequest): string {
  return panel.payments.publicUrl ?? `${request.protocol}://${request.host}`;
}

/** Paying in: the enabled methods, starting a deposit, the customer's own deposits. */
export function registerCustomerPaymentRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.listPaymentMethods,
    handler: async () => {
      const methods = await listPaymentMethods(panel.ctx, { enabledOnly: true });
      return {
        methods: methods.map((method) => ({
          id: method.id,
          name: method.name,
          gateway: method.gateway,
          min: method.min,
          max: method.max,
          feePercent: method.feePercent,
          feeMode: panel.payments.feeMode,
          bonusTiers: method.bonusTiers,
          instructions: method.instructions,
        })),
      };
    },
  });

  web.route({
    ...contract.createDeposit,
    handler: async (request, reply) => {
      const { method, amount, reference } = request.body;
      const result = await createDeposit(contextOf(panel, request), panel.payments, {
        userId: sessionOf(request).userId,
        methodId: method,
        amount,
        reference,
        publicUrl: publicUrlOf(panel, request),
      });
      if (!result.ok) return sendFailure(reply, result.failure);
      const { deposit, redirectUrl, instructions } = result.value;
      return { id: deposit.id, status: deposit.status, redirectUrl, instructions };
    },
  });

  web.route({
    ...contract.listDeposits,
    handler: async (request, reply) => {
      const { page = 1, status, method } = request.query;
      const result = await listDeposits(panel.ctx, {
        userId: sessionOf(request).userId,
        status,
        methodId: method,
        page,
      });
      if (!result.ok) return sendFailure(reply, result.failure);
      return { deposits: result.value.map(depositAnswer), page };
    },
  });

  web.route({
    ...contract.quoteDeposit,
    handler: async (request, reply) => {
      const result = await quoteDeposit(panel.ctx, panel.payments, {
        methodId: request.query.method,
        amount: request.query.amount,
      });
      if (!result.ok) return sendFailure(reply, result.failure);
      const quote = result.value;
      return {
        amount: formatMoney(quote.amount),
        fee: formatMoney(quote.fee),
        pay: formatMoney(quote.pay),
        bonus: formatMoney(quote.bonus),
        credit: formatMoney(quote.credit),
        currency: quote.currency,
      };
    },
  });
}
