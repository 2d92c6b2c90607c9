import { type Conversion, type RateTable, rateFor } from '../../domain/currency.js';
import { type Failure } from '../../domain/errors.js';
import type { Queryable } from '../../store/database.js';
import { listExchangeRates } from '../../store/exchange-rates.js';
import type { Context } from '../context.js';

/** The exchange rates to the panel's currency as they stand now (one read). */
export async function loadRateTable(ctx: Context, q: Queryable = ctx.db): Promise<RateTable> {
  return rateTableOf(ctx, await listExchangeRates(q, ctx.currency));
}

/** The table of rates already read. */
export function rateTableOf(ctx: Context, rates: readonly { currency: string; rate: bigint }[]): RateTable {
  return { panelCurrency: ctx.currency, rates: new Map(rates.map((r) => [r.currency, r.rate])) };
}

/** A provider's rate to the panel's currency, or the failure that says which rate is missing. */
export function providerConversion(
  table: RateTable,
  provider: { name: string; currency: string | null },
): { ok: true; rate: bigint } | { ok: false; failure: Failure } {
  const conversion: Conversion = rateFor(table, provider.currency);
  if (conversion.ok) return conversion;
  return {
    ok: false,
    failure: {
      code: 'NO_EXCHANGE_RATE',
      provider: provider.name,
      currency: conversion.currency,
      panelCurrency: table.panelCurrency,
    },
  };
}
