import { parseCurrencyCode } from '../../domain/currency.js';
import { type Failure, type Result, fail, ok } from '../../domain/errors.js';
import { setDisplayFlag } from '../../store/display-currencies.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

const invalid = (field: string, reason: string): Failure => ({ code: 'INVALID_INPUT', field, reason });

/**
 * The admin enables (or disables) a currency of the exchange-rate table for customers to show their
 * money in. Only a currency with a rate to the panel's currency can be enabled; the change is
 * audited. Display only: nothing is charged or kept in it.
 */
export async function setDisplayCurrency(
  ctx: Context,
  input: { currency: string; enabled: boolean },
): Promise<Result<{ currency: string; enabled: boolean }>> {
  const currency = parseCurrencyCode(input.currency);
  if (currency === null) return fail(invalid('currency', 'a three-letter code such as EUR'));
  if (currency === ctx.currency)
    return fail(invalid('currency', `${currency} is the panel's own currency: it is always offered`));
  return ctx.db.transaction(async (tx) => {
    const set = await setDisplayFlag(tx, { currency, base: ctx.currency, enabled: input.enabled });
    if (!set)
      return fail(
        invalid('currency', `${currency} has no exchange rate to ${ctx.currency}: set its rate first`),
      );
    await recordAudit(tx, ctx, 'currency.display', `currency:${currency}`, { enabled: input.enabled });
    return ok({ currency, enabled: input.enabled });
  });
}
