/**
 * Amounts cross the adapter boundary as decimal strings in major units ("10.50"); gateways speak minor
 * units (Stripe's 1050) or decimals of the currency's own precision (PayPal's "10.50", JPY "1000").
 * All conversions here are string and bigint arithmetic: no float ever touches an amount.
 */

/** Currencies Stripe charges without a minor unit (ISK is two-decimal in Stripe's API, its fraction 00). */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
/** Currencies with three decimals (fils, baisa, millimes). */
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const DECIMAL_PATTERN = /^(\d{1,18})(?:\.(\d{1,18}))?$/;

/** "USD" from " usd ": an ISO 4217 code, upper case; throws on anything else. */
export function currencyCode(text: string): string {
  const code = text.trim().toUpperCase();
  if (!CURRENCY_PATTERN.test(code)) throw new Error(`"${text}" is not an ISO 4217 currency code`);
  return code;
}

/** How many decimals the currency's minor unit has: 2 for USD, 0 for JPY, 3 for KWD. */
export function minorUnitDigits(currency: string): number {
  const code = currencyCode(currency);
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/**
 * "10.50" USD → 1050n; "1000" JPY → 1000n. Trailing zeros beyond the currency's precision are accepted
 * ("10.50000" → 1050n, as the panel formats money with five decimals); a real fraction of a minor unit
 * ("10.505" USD, "1000.5" JPY) cannot be charged and throws.
 */
export function toMinorUnits(amount: string, currency: string, digits = minorUnitDigits(currency)): bigint {
  const match = DECIMAL_PATTERN.exec(amount.trim());
  if (!match) throw new Error(`"${amount}" is not a positive decimal amount`);
  const [, whole = '0', fraction = ''] = match;
  const kept = fraction.slice(0, digits);
  if (/[^0]/.test(fraction.slice(digits)))
    throw new Error(`${amount} ${currencyCode(currency)} has more than ${digits} decimals`);
  return BigInt(whole) * 10n ** BigInt(digits) + BigInt(kept.padEnd(digits, '0') || '0');
}

/** 1050n USD → "10.50"; 1000n JPY → "1000": exactly the currency's decimals. */
export function fromMinorUnits(
  minor: bigint | number,
  currency: string,
  digits = minorUnitDigits(currency),
): string {
  const units = typeof minor === 'bigint' ? minor : integerFromJson(minor);
  if (units < 0n) throw new Error(`negative amount ${units}`);
  if (digits === 0) return units.toString();
  const text = units.toString().padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** "10.5" → "10.50" for USD, "1000.00" → "1000" for JPY: the currency's own precision, exact. */
export function normaliseDecimal(
  amount: string,
  currency: string,
  digits = minorUnitDigits(currency),
): string {
  return fromMinorUnits(toMinorUnits(amount, currency, digits), currency, digits);
}

/** A JSON integer (a count of minor units) as a bigint; throws on a fraction or an unsafe integer. */
export function integerFromJson(value: unknown): bigint {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new Error(`${String(value)} is not an integer amount`);
  return BigInt(value);
}

/**
 * The decimal text of a JSON number as its sender wrote it. JavaScript prints a parsed number as the
 * shortest text that reads back to it, which is the sender's literal (trailing zeros aside) for up to 15
 * significant digits: crypto gateways send amounts such as 10.5 or 0.00012345 as JSON numbers.
 * Exponent forms (1e-7) are expanded by moving the point in the text, never by multiplying.
 */
export function decimalFromJsonNumber(value: unknown): string {
  if (typeof value === 'string' && DECIMAL_PATTERN.test(value.trim())) return value.trim();
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new Error(`${String(value)} is not a non-negative amount`);
  const text = value.toString();
  const exponent = /^(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, whole = '', fraction = '', power = '0'] = exponent;
  const digits = whole + fraction;
  const point = whole.length + Number(power);
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A decimal string as an integer count of 10^-scale units, truncating beyond the scale. */
export function scaledDecimal(amount: string, scale: number): bigint {
  const match = DECIMAL_PATTERN.exec(amount.trim());
  if (!match) throw new Error(`"${amount}" is not a positive decimal amount`);
  const [, whole = '0', fraction = ''] = match;
  return BigInt(whole) * 10n ** BigInt(scale) + BigInt(fraction.slice(0, scale).padEnd(scale, '0') || '0');
}
