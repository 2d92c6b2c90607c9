import { formatExchangeRate, parseCurrencyCode, parseExchangeRate } from '../../domain/currency.js';
import { type Failure, type Result, fail, ok } from '../../domain/errors.js';
import { setExchangeRate } from '../../store/exchange-rates.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

const invalid = (field: string, reason: string): Failure => ({ code: 'INVALID_INPUT', field, reason });

/**
 * The admin sets one currency's rate to the panel's currency ("1 EUR = 1.0845 USD": `EUR`,
 * `1.0845`). The text is read strictly; the change is recorded with its time and audited. The next
 * scheduled sync of each provider billing in it re-prices at the new rate (keep-markup).
 */
export async function setExchangeRateByAdmin(
  ctx: Context,
  input: { currency: string; rate: string },
): Promise<Result<{ currency: string; base: string; rate: string; changed: boolean }>> {
  const currency = parseCurrencyCode(input.currency);
  if (currency === null) return fail(invalid('currency', 'a three-letter code such as EUR'));
  if (currency === ctx.currency)
    return fail(invalid('currency', `${currency} is the panel's own currency: its rate is always 1`));
  const rate = parseExchangeRate(input.rate);
  if (rate === null) {
    return fail(
      invalid('rate', 'a positive decimal with up to 8 whole digits and 10 decimals, such as 1.0845'),
    );
  }
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const changed = await setExchangeRate(tx, { currency, base: ctx.currency, rate, source: 'admin', now });
    const shown = formatExchangeRate(rate);
    if (changed)
      await recordAudit(tx, ctx, 'currency.rate', `currency:${currency}`, {
        base: ctx.currency,
        rate: shown,
      });
    return ok({ currency, base: ctx.currency, rate: shown, changed });
  });
}
