import { depositTerms, formatMajor, parseDepositAmount } from '../../domain/deposits.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import type { Money } from '../../domain/money.js';
import { findPaymentMethod } from '../../store/payment-methods.js';
import type { Context } from '../context.js';
import { readPanelSettings } from '../settings/panel-settings.js';
import type { PaymentSettings } from './payment-settings.js';

export interface DepositQuote {
  readonly amount: Money;
  readonly fee: Money;
  /** What the customer pays. */
  readonly pay: Money;
  readonly bonus: Money;
  /** What the balance is credited: the amount and its bonus. */
  readonly credit: Money;
  readonly currency: string;
}

/**
 * What a deposit of `amountText` through an enabled method would cost and bring: the same domain
 * rules (limits, fee, bonus tiers, fee mode) that createDeposit applies, and nothing recorded.
 */
export async function quoteDeposit(
  ctx: Context,
  settings: PaymentSettings,
  input: { readonly methodId: number; readonly amount: string },
): Promise<Result<DepositQuote>> {
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
  const { currency } = await readPanelSettings(ctx);
  const { fee, payAmount, bonus } = terms.value;
  return ok({
    amount: amount.value,
    fee,
    pay: payAmount,
    bonus,
    credit: amount.value + bonus,
    currency,
  });
}
