import { type Money, divideRounded, formatMoney, parseMoney } from './money.js';

/**
 * A reseller's markup on a provider's rate: a percentage (held in hundredths of a percent, so
 * "12.5%" is 1250n and no float is involved) and a fixed amount per 1000 added after it.
 */
export interface Markup {
  readonly percentHundredths: bigint;
  readonly fixed: Money;
}

export const NO_MARKUP: Markup = { percentHundredths: 0n, fixed: 0n };

const PERCENT_PATTERN = /^(\d{1,6})(?:\.(\d{1,2}))?%?$/;

/** "25%", "25", "12.5", "0.75%" → hundredths of a percent; null for anything else (negatives, 3 decimals). */
export function parseMarkupPercent(text: string): bigint | null {
  const match = PERCENT_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, whole = '0', fraction = ''] = match;
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** "0.10" → money units; null when negative or not an amount with up to 5 decimals. */
export function parseFixedMarkup(text: string): Money | null {
  const units = parseMoney(text);
  return units === null || units < 0n ? null : units;
}

/** 2500n → "25%", 1250n → "12.5%", 75n → "0.75%". */
export function formatMarkupPercent(percentHundredths: bigint): string {
  const whole = percentHundredths / 100n;
  const fraction = (percentHundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return fraction === '' ? `${whole}%` : `${whole}.${fraction}%`;
}

/** "25% + 0.10000", as shown to the owner. */
export function describeMarkup(markup: Markup): string {
  return `${formatMarkupPercent(markup.percentHundredths)} + ${formatMoney(markup.fixed)}`;
}

/**
 * The local rate of a provider-backed service: providerRate × (100 + percent) / 100 + fixed,
 * rounded up to the money unit, so a reseller never sells below the markup it asked for.
 */
export function markedUpRate(providerRate: Money, markup: Markup): Money {
  if (providerRate < 0n) throw new RangeError('a provider rate is never negative');
  const scaled = divideRounded(providerRate * (10_000n + markup.percentHundredths), 10_000n, 'up');
  return scaled + markup.fixed;
}
