import { type Money, divideRounded } from './money.js';

/**
 * Exchange rates to the panel's currency (SMMKIT_CURRENCY), exact: a rate is an integer count of
 * 10⁻¹⁰ panel-currency units per one unit of the other currency, so "1 EUR = 1.0845 USD" on a USD
 * panel is 10_845_000_000n. No float is involved, in parsing, storing or converting.
 *
 * The table is keyed by currency alone (not by provider), so anything that needs a currency in the
 * panel's terms (a provider's bills today, a customer's display currency later) reads the same rates.
 */
export type ExchangeRate = bigint;

export const RATE_DECIMALS = 10;
export const RATE_SCALE = 10_000_000_000n;
/** 8 whole digits: the largest rate still fits a BIGINT with room for the scale. */
const RATE_PATTERN = /^(\d{1,8})(?:\.(\d{1,10}))?$/;
const MAX_RATE: ExchangeRate = 100_000_000n * RATE_SCALE - 1n;

/** "USD", "EUR": three capital letters (ISO 4217's shape); anything else is not a currency code. */
export function parseCurrencyCode(text: string): string | null {
  const code = text.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? code : null;
}

/**
 * "1.0845" → 10_845_000_000n. Strict: digits, an optional point and up to 10 decimals, above zero;
 * no sign, exponent, grouping or space inside. Null for anything else.
 */
export function parseExchangeRate(text: string): ExchangeRate | null {
  const match = RATE_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, whole = '0', fraction = ''] = match;
  const rate = BigInt(whole) * RATE_SCALE + BigInt(fraction.padEnd(RATE_DECIMALS, '0'));
  return rate === 0n ? null : rate;
}

/** 10_845_000_000n → "1.0845": trailing zeros trimmed, at least one decimal kept out ("1" stays "1"). */
export function formatExchangeRate(rate: ExchangeRate): string {
  const whole = rate / RATE_SCALE;
  const fraction = (rate % RATE_SCALE).toString().padStart(RATE_DECIMALS, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}

/**
 * An amount (or a rate per 1000) in a provider's currency → the panel's currency, rounded **up** to
 * the money unit: a cost is never under-counted, so a price with markup on top never falls below
 * what the provider really charges, and the profit report never flatters.
 */
export function convertToPanel(amount: Money, rate: ExchangeRate): Money {
  if (amount < 0n) throw new RangeError('convertToPanel takes a non-negative amount');
  return divideRounded(amount * rate, RATE_SCALE, 'up');
}

/** How the rates of one currency are found: the panel's own converts at 1, the rest from the table. */
export interface RateTable {
  readonly panelCurrency: string;
  readonly rates: ReadonlyMap<string, ExchangeRate>;
}

export type Conversion = { ok: true; rate: ExchangeRate } | { ok: false; currency: string };

/**
 * The rate for a currency a provider named. A provider that names none (an older panel) bills in
 * the panel's currency, as smmkit assumed before it converted.
 */
export function rateFor(table: RateTable, currency: string | null): Conversion {
  const code =
    currency === null || currency.trim() === '' ? table.panelCurrency : currency.trim().toUpperCase();
  if (code === table.panelCurrency) return { ok: true, rate: RATE_SCALE };
  const rate = table.rates.get(code);
  return rate === undefined ? { ok: false, currency: code } : { ok: true, rate };
}

// ——— the feed ———

/** A JSON number or string as a decimal: up to 15 significant digits are read exactly. */
const FEED_NUMBER = /^(\d{1,15})(?:\.(\d{1,15}))?$/;

interface Decimal {
  readonly units: bigint;
  readonly scale: bigint;
}

function readFeedNumber(value: unknown): Decimal | null {
  // A JSON number's shortest round-trip text is the text the feed wrote for up to 15 significant
  // digits; exponents (1e-7) and anything longer are refused rather than guessed.
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : null;
  if (text === null) return null;
  const match = FEED_NUMBER.exec(text);
  if (!match) return null;
  const [, whole = '0', fraction = ''] = match;
  const units = BigInt(whole + fraction);
  return units === 0n ? null : { units, scale: 10n ** BigInt(fraction.length) };
}

export interface FeedReading {
  /** Panel-currency rates for every currency the feed lists (the panel's own aside). */
  readonly rates: Map<string, ExchangeRate>;
  /** Currencies listed but unusable (a zero, an exponent, a rate out of range), with why. */
  readonly skipped: { currency: string; reason: string }[];
}

/**
 * Reads the common feed shape `{"base":"USD","rates":{"EUR":0.92,…}}` (1 base = 0.92 EUR). The base
 * must be the panel's currency, or the feed must list the panel's currency so rates convert through
 * it: one unit of C is worth rates[panel] / rates[C] panel units (rates[base] = 1). The quotient is
 * rounded up at 10 decimals: costs converted with it are never under-counted.
 */
export function readRateFeed(
  body: unknown,
  panelCurrency: string,
): { ok: true; reading: FeedReading } | { ok: false; reason: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, reason: 'the feed is not a JSON object' };
  const { base, rates } = body as { base?: unknown; rates?: unknown };
  const baseCode = typeof base === 'string' ? parseCurrencyCode(base) : null;
  if (baseCode === null) return { ok: false, reason: 'the feed has no "base" currency code' };
  if (typeof rates !== 'object' || rates === null || Array.isArray(rates))
    return { ok: false, reason: 'the feed has no "rates" object' };
  const listed = new Map<string, unknown>();
  for (const [key, value] of Object.entries(rates as Record<string, unknown>)) {
    const code = parseCurrencyCode(key);
    if (code !== null) listed.set(code, value);
  }
  let panelPerBase: Decimal;
  if (baseCode === panelCurrency) panelPerBase = { units: 1n, scale: 1n };
  else {
    const through = readFeedNumber(listed.get(panelCurrency));
    if (through === null) {
      return {
        ok: false,
        reason: `the feed's base is ${baseCode} and it lists no usable rate for ${panelCurrency}, the panel's currency`,
      };
    }
    panelPerBase = through;
  }
  const reading: FeedReading = { rates: new Map(), skipped: [] };
  const entries: [string, unknown][] = [...listed];
  if (baseCode !== panelCurrency && !listed.has(baseCode)) entries.push([baseCode, 1]);
  for (const [code, value] of entries) {
    if (code === panelCurrency) continue;
    const perBase = readFeedNumber(value);
    if (perBase === null) {
      reading.skipped.push({
        currency: code,
        reason: `not a plain positive decimal: ${JSON.stringify(value)}`,
      });
      continue;
    }
    // (panel.units / panel.scale) / (perBase.units / perBase.scale), at RATE_SCALE, rounded up.
    const rate = divideRounded(
      panelPerBase.units * perBase.scale * RATE_SCALE,
      panelPerBase.scale * perBase.units,
      'up',
    );
    if (rate > MAX_RATE) {
      reading.skipped.push({ currency: code, reason: 'worth more than 99999999 panel units' });
      continue;
    }
    reading.rates.set(code, rate);
  }
  return { ok: true, reading };
}
