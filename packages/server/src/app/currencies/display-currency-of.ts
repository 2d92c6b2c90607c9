import { formatExchangeRate } from '../../domain/currency.js';
import { findUserDisplayCurrency, listDisplayCurrencies } from '../../store/display-currencies.js';
import type { Context } from '../context.js';

export interface DisplayCurrency {
  readonly code: string;
  /** Panel-currency units per unit, the rate table's decimal ("1.0845"). */
  readonly rate: string;
}

/**
 * The currencies a customer may show their money in, and the one this user shows it in: null when
 * none is chosen, or when the chosen one lost its rate or was disabled (the panel currency is
 * shown then: never a stale or wrong figure).
 */
export async function displayCurrencyOf(
  ctx: Context,
  userId: number | null,
): Promise<{ displayCurrency: DisplayCurrency | null; displayCurrencies: DisplayCurrency[] }> {
  const [enabled, chosen] = await Promise.all([
    listDisplayCurrencies(ctx.db, ctx.currency),
    userId === null ? null : findUserDisplayCurrency(ctx.db, userId),
  ]);
  const displayCurrencies = enabled.map((r) => ({ code: r.currency, rate: formatExchangeRate(r.rate) }));
  const displayCurrency = displayCurrencies.find((c) => c.code === chosen) ?? null;
  return { displayCurrency, displayCurrencies };
}
