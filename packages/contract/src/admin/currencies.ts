import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { Id, IsoTime, List, Nullable, StringEnum } from '../primitives.js';

/**
 * An exchange rate: how many units of the panel's currency one unit of `currency` is worth, as an
 * exact decimal string (up to 10 decimals, e.g. "1.0845").
 */
const ExchangeRate = Type.String({ description: 'panel-currency units per unit: a decimal string' });
const RateSource = StringEnum(['admin', 'feed']);

export const CurrencyOverview = Type.Object(
  {
    /** The panel's currency (SMMKIT_CURRENCY): every rate is to it. */
    currency: Type.String(),
    rates: List(
      Type.Object({
        currency: Type.String(),
        rate: ExchangeRate,
        source: RateSource,
        updatedAt: IsoTime,
        /** Whether customers may show their money in this currency (display only). */
        display: Type.Boolean(),
      }),
    ),
    /** The latest rate changes, newest first. */
    history: List(
      Type.Object({
        currency: Type.String(),
        base: Type.String(),
        rate: ExchangeRate,
        previousRate: Nullable(ExchangeRate),
        source: RateSource,
        changedAt: IsoTime,
      }),
    ),
    feed: Nullable(
      Type.Object({
        url: Type.String(),
        every: Type.String(),
        nextAt: IsoTime,
        lastOkAt: Nullable(IsoTime),
        lastError: Nullable(Type.String()),
        lastErrorAt: Nullable(IsoTime),
      }),
    ),
    /** Each provider's billing currency and the rate its prices convert at (null: none: not importable). */
    providers: List(
      Type.Object({
        id: Id,
        name: Type.String(),
        currency: Nullable(Type.String()),
        rate: Nullable(ExchangeRate),
      }),
    ),
  },
  { title: 'CurrencyOverview' },
);
export type CurrencyOverview = Static<typeof CurrencyOverview>;

/** "1 EUR = 1.0845 (panel currency)": `{ currency: "EUR", rate: "1.0845" }`, read strictly by the server. */
export const ExchangeRateBody = Type.Object(
  { currency: Type.String({ maxLength: 10 }), rate: Type.String({ maxLength: 30 }) },
  { title: 'ExchangeRateBody', additionalProperties: false },
);
export type ExchangeRateBody = Static<typeof ExchangeRateBody>;

/** `every`: 30s, 15m, 1h, 1d… or "off" (then `url` may be empty). */
export const RateFeedBody = Type.Object(
  { url: Type.String({ maxLength: 2000 }), every: Type.String({ maxLength: 20 }) },
  { title: 'RateFeedBody', additionalProperties: false },
);
export type RateFeedBody = Static<typeof RateFeedBody>;

export const listCurrencies = endpoint('GET', '/admin/currencies', { answer: CurrencyOverview });
export const setExchangeRate = endpoint('POST', '/admin/currencies', {
  body: ExchangeRateBody,
  answer: CurrencyOverview,
});
export const setRateFeed = endpoint('PUT', '/admin/currencies/feed', {
  body: RateFeedBody,
  answer: CurrencyOverview,
});

/** Enables or disables a currency (one with a rate) for customers to show their money in. */
export const DisplayFlagBody = Type.Object(
  { currency: Type.String({ maxLength: 10 }), enabled: Type.Boolean() },
  { title: 'DisplayFlagBody', additionalProperties: false },
);
export type DisplayFlagBody = Static<typeof DisplayFlagBody>;

export const setDisplayCurrency = endpoint('PUT', '/admin/currencies/display', {
  body: DisplayFlagBody,
  answer: CurrencyOverview,
});
