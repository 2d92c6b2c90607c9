import { parseCurrencyCode } from '../../domain/currency.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import { listDisplayCurrencies, setUserDisplayCurrency } from '../../store/display-currencies.js';
import type { Context } from '../context.js';

/**
 * Saves the currency a customer shows their money in (one the admin enabled, with a rate); null
 * goes back to the panel's currency. Display only: charges, the ledger and API v2 stay in the panel
 * currency.
 */
export async function chooseDisplayCurrency(
  ctx: Context,
  input: { userId: number; currency: string | null },
): Promise<Result<{ currency: string | null }>> {
  let currency: string | null = null;
  if (input.currency !== null) {
    currency = parseCurrencyCode(input.currency);
    if (currency === null)
      return fail({ code: 'INVALID_INPUT', field: 'currency', reason: 'a three-letter code such as EUR' });
    const code = currency;
    if (code === ctx.currency) currency = null;
    else {
      const enabled = await listDisplayCurrencies(ctx.db, ctx.currency);
      if (!enabled.some((c) => c.currency === code))
        return fail({
          code: 'INVALID_INPUT',
          field: 'currency',
          reason: `${code} is not offered as a display currency`,
        });
    }
  }
  const saved = await setUserDisplayCurrency(ctx.db, input.userId, currency);
  if (!saved) return fail({ code: 'USER_NOT_FOUND', username: `#${input.userId}` });
  return ok({ currency });
}
