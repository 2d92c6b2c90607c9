import { formatSyncEvery } from '../../domain/catalog-sync.js';
import { formatExchangeRate, rateFor } from '../../domain/currency.js';
import { findCurrencyFeed } from '../../store/currency-feed.js';
import { listDisplayCodes } from '../../store/display-currencies.js';
import { listExchangeRates, listRateChanges } from '../../store/exchange-rates.js';
import { listProviders } from '../../store/providers.js';
import type { Context } from '../context.js';
import { rateTableOf } from './rate-table.js';

/** How many rate changes the overview shows. */
const HISTORY_SHOWN = 100;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The exchange-rate table as the admin sees it (CLI `currency list`, the Currencies page): the
 * panel's currency, each rate to it, the latest changes, the feed and how its last reading went,
 * and each provider's currency with the rate its prices convert at (null: none, so not importable).
 */
export async function listCurrencies(ctx: Context) {
  const [rates, history, feed, providers, display] = await Promise.all([
    listExchangeRates(ctx.db, ctx.currency),
    listRateChanges(ctx.db, HISTORY_SHOWN),
    findCurrencyFeed(ctx.db),
    listProviders(ctx.db),
    listDisplayCodes(ctx.db, ctx.currency),
  ]);
  const table = rateTableOf(ctx, rates);
  return {
    currency: ctx.currency,
    rates: rates.map((r) => ({
      currency: r.currency,
      rate: formatExchangeRate(r.rate),
      source: r.source,
      updatedAt: new Date(r.updatedAt).toISOString(),
      display: display.has(r.currency),
    })),
    history: history.map((change) => ({
      currency: change.currency,
      base: change.base,
      rate: formatExchangeRate(change.rate),
      previousRate: change.previousRate === null ? null : formatExchangeRate(change.previousRate),
      source: change.source,
      changedAt: new Date(change.changedAt).toISOString(),
    })),
    feed:
      feed === undefined
        ? null
        : {
            url: feed.url,
            every: formatSyncEvery(feed.everyMs),
            nextAt: new Date(feed.nextAt).toISOString(),
            lastOkAt: iso(feed.lastOkAt),
            lastError: feed.lastError,
            lastErrorAt: iso(feed.lastErrorAt),
          },
    providers: providers.map((provider) => {
      const conversion = rateFor(table, provider.currency);
      return {
        id: provider.id,
        name: provider.name,
        currency: provider.currency,
        rate: conversion.ok ? formatExchangeRate(conversion.rate) : null,
      };
    }),
  };
}

export type CurrencyOverview = Awaited<ReturnType<typeof listCurrencies>>;
