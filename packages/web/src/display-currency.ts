/**
 * Display currencies (issue 15, item 2): an amount in the panel currency shown converted into the
 * customer's chosen currency, exactly. The server sends money as 5-decimal strings ("1234.50000")
 * and exchange rates as the rate table's decimal ("1.0845": panel-currency units per one unit of
 * the other currency, at most 10 decimals, domain/currency.ts). Both are read into BigInt integers
 * (10⁻⁵ and 10⁻¹⁰ units) and divided once, rounded half away from zero to the shown decimals: no
 * float ever touches the figure. Anything malformed (or a zero rate) gives null, and the caller
 * shows the panel-currency amount instead: never a wrong figure. Display only: the ledger, the
 * charges, the forms and API v2 stay in the panel currency.
 */

const MONEY_DECIMALS = 5;
const RATE_DECIMALS = 10;
const MONEY_PATTERN = /^([+-]?)(\d+)(?:\.(\d{1,5}))?$/;
const RATE_PATTERN = /^(\d{1,8})(?:\.(\d{1,10}))?$/;

/** A decimal string → an integer count of 10^-decimals units, or null when it is not such a decimal. */
function scaled(text: string, pattern: RegExp, decimals: number): bigint | null {
  const match = pattern.exec(text.trim());
  if (match === null) return null;
  const sign = match[1] === '-' ? -1n : 1n;
  const whole = match[pattern === MONEY_PATTERN ? 2 : 1] ?? '0';
  const fraction = match[pattern === MONEY_PATTERN ? 3 : 2] ?? '';
  return sign * (BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0')));
}

/** n / d rounded half away from zero (d > 0). */
function divideHalfAway(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const magnitude = negative ? -n : n;
  const rounded = (magnitude * 2n + d) / (d * 2n);
  return negative ? -rounded : rounded;
}

/**
 * `amount` (panel currency) in the currency whose rate is `rate`, as a decimal string with exactly
 * `decimals` decimals ("1234.50"); null when the amount or the rate is unreadable or the rate is 0.
 */
export function convertForDisplay(amount: string, rate: string, decimals = 2): string | null {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) return null;
  const money = scaled(amount, MONEY_PATTERN, MONEY_DECIMALS);
  const perUnit = scaled(rate, RATE_PATTERN, RATE_DECIMALS);
  if (money === null || perUnit === null || perUnit === 0n) return null;
  // money·10⁻⁵ / (perUnit·10⁻¹⁰) display units = money·10^(5+decimals) / perUnit units of 10^-decimals.
  const units = divideHalfAway(money * 10n ** BigInt(RATE_DECIMALS - MONEY_DECIMALS + decimals), perUnit);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}
