import { listCurrencies } from '../../app/currencies/list-currencies.js';
import { setExchangeRateByAdmin } from '../../app/currencies/set-exchange-rate.js';
import { setRateFeed } from '../../app/currencies/set-rate-feed.js';
import { ok } from '../../domain/errors.js';
import {
  type Command,
  UsageError,
  defineCommand,
  printResult,
  requireString,
  withCliContext,
} from '../command.js';

export const currencySetCommand: Command = defineCommand({
  name: 'currency set',
  summary: "Set a currency's exchange rate to the panel's currency (1 CODE = RATE of SMMKIT_CURRENCY)",
  usage: 'CODE --rate 1.0845',
  positionals: 1,
  options: { rate: { type: 'string' } },
  run({ values, positionals }, io) {
    const code = positionals[0];
    if (code === undefined) throw new UsageError('expected a currency code, such as EUR');
    const rate = requireString(values.rate, 'rate');
    return withCliContext(io, async (ctx) =>
      printResult(io, await setExchangeRateByAdmin(ctx, { currency: code, rate })),
    );
  },
});

export const currencyListCommand: Command = defineCommand({
  name: 'currency list',
  summary: 'Show the exchange rates, their changes, the rate feed and the currency of each provider',
  usage: '',
  options: {},
  run(_args, io) {
    return withCliContext(io, async (ctx) => printResult(io, ok(await listCurrencies(ctx))));
  },
});

export const currencyFeedCommand: Command = defineCommand({
  name: 'currency feed',
  summary: 'Read exchange rates from a JSON feed at an interval (--every off stops it)',
  usage: '--url URL --every 1h | --every off',
  options: { url: { type: 'string' }, every: { type: 'string' } },
  run({ values }, io) {
    const every = requireString(values.every, 'every');
    const url = every.trim().toLowerCase() === 'off' ? (values.url ?? '') : requireString(values.url, 'url');
    return withCliContext(io, async (ctx) => printResult(io, await setRateFeed(ctx, { url, every })));
  },
});
