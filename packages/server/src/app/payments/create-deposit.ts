import { MANUAL_GATEWAY, depositTerms, formatMajor, parseDepositAmount } from '../../domain/deposits.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import { findGateway } from '../../payments/registry.js';
import {
  type Deposit,
  findDeposit,
  insertDeposit,
  moveDeposit,
  setDepositPayment,
} from '../../store/deposits.js';
import { findPaymentMethod } from '../../store/payment-methods.js';
import type { Context } from '../context.js';
import { openMethodSecrets } from './method-secrets.js';
import { readPanelSettings } from '../settings/panel-settings.js';
import type { PaymentSettings } from './payment-settings.js';

export interface NewDepositInput {
  readonly userId: number;
  readonly methodId: number;
  /** As the customer typed it: "10.00". */
  readonly amount: string;
  readonly reference?: string | undefined;
  /** The panel's address as the gateway and the customer's browser reach it (no trailing slash). */
  readonly publicUrl: string;
}

export interface StartedDeposit {
  readonly deposit: Deposit;
  /** Where to send the customer to pay (a gateway's page), or null (manual: see the instructions). */
  readonly redirectUrl: string | null;
  readonly instructions: string | null;
}

/**
 * Starts a deposit: checks the amount against the method, records the deposit `pending`, then (for
 * a gateway) asks the gateway for a payment and records its id. A gateway that refuses or cannot
 * be reached fails the deposit with the reason: nothing was paid, nothing is credited.
 */
export async function createDeposit(
  ctx: Context,
  settings: PaymentSettings,
  input: NewDepositInput,
): Promise<Result<StartedDeposit>> {
  const method = await findPaymentMethod(ctx.db, input.methodId);
  if (!method || !method.enabled) return fail({ code: 'PAYMENT_METHOD_NOT_FOUND', id: input.methodId });
  const amount = parseDepositAmount(input.amount);
  if (!amount.ok) return fail({ code: 'INVALID_INPUT', field: 'amount', reason: amount.reason });
  const terms = depositTerms(amount.value, method, settings.feeMode);
  if (!terms.ok) {
    const reason =
      terms.failure.kind === 'below_min'
        ? `at least ${formatMajor(terms.failure.min)}`
        : `at most ${formatMajor(terms.failure.max)}`;
    return fail({ code: 'INVALID_INPUT', field: 'amount', reason });
  }
  const reference = (input.reference ?? '').trim();
  if (reference.length > 200)
    return fail({ code: 'INVALID_INPUT', field: 'reference', reason: 'at most 200 characters' });
  const definition = method.gateway === MANUAL_GATEWAY ? null : findGateway(method.gateway);
  if (method.gateway !== MANUAL_GATEWAY && definition === null)
    return fail({ code: 'PAYMENT_GATEWAY_FAILED', reason: `gateway ${method.gateway} is not available` });
  const { currency } = await readPanelSettings(ctx);
  const now = ctx.clock.now();
  const id = await insertDeposit(ctx.db, {
    userId: input.userId,
    methodId: method.id,
    gateway: method.gateway,
    ...terms.value,
    currency,
    reference: reference === '' ? null : reference,
    expiresAt: definition === null ? null : now + settings.depositExpiryMs,
    now,
  });
  let redirectUrl: string | null = null;
  if (definition !== null) {
    try {
      const gateway = definition.create(openMethodSecrets(ctx, method.gateway, method.config));
      const payment = await gateway.createPayment({
        depositId: id,
        amount: formatMajor(terms.value.payAmount),
        currency,
        description: `Deposit #${id}`,
        returnUrl: `${input.publicUrl}/payments/return/${method.id}?deposit=${id}`,
        cancelUrl: `${input.publicUrl}/funds?deposit=${id}`,
        notifyUrl: `${input.publicUrl}/payments/webhook/${method.id}`,
      });
      await setDepositPayment(ctx.db, id, payment, ctx.clock.now());
      redirectUrl = payment.redirectUrl;
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, 300);
      await moveDeposit(
        ctx.db,
        id,
        { from: ['pending'], to: 'failed' },
        { reason: `the gateway refused: ${reason}`, paidAt: null, now: ctx.clock.now() },
      );
      return fail({ code: 'PAYMENT_GATEWAY_FAILED', reason });
    }
  }
  const deposit = await findDeposit(ctx.db, id);
  if (!deposit) throw new Error(`deposit ${id} vanished`);
  return ok({ deposit, redirectUrl, instructions: method.instructions });
}
