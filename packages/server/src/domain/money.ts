/**
 * Money is an integer count of 10⁻⁵ of the panel currency (the precision API v2 shows).
 * Rates are per 1000 units in the same unit. No float ever touches money.
 */
export type Money = bigint;

export const MONEY_DECIMALS = 5;
export const MONEY_SCALE = 100_000n;

const DECIMAL_PATTERN = /^(-)?(\d{1,15})(?:\.(\d{1,5}))?$/;

/** Parses "12.5", "-3", "0.00001"; null for anything else (more than 5 decimals, exponents, spaces). */
export function parseMoney(text: string): Money | null {
  const match = DECIMAL_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, sign, whole = '0', fraction = ''] = match;
  const units = BigInt(whole) * MONEY_SCALE + BigInt(fraction.padEnd(MONEY_DECIMALS, '0'));
  return sign && units !== 0n ? -units : units;
}

/** "100.84292": always exactly five decimals, as API v2 shows balances and charges. */
export function formatMoney(units: Money): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / MONEY_SCALE;
  const fraction = (abs % MONEY_SCALE).toString().padStart(MONEY_DECIMALS, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Rates trim trailing zeros but keep at least two decimals: "0.90", "8.00", "0.00123". */
export function formatRate(units: Money): string {
  const full = formatMoney(units);
  const [whole, fraction = ''] = full.split('.');
  let trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length < 2) trimmed = trimmed.padEnd(2, '0');
  return `${whole}.${trimmed}`;
}

export type Rounding = 'up' | 'down';

/**
 * The one rounding function: numerator / denominator for non-negative values.
 * Charges round up (the panel never undercharges), refunds round down (never over-refunds).
 */
export function divideRounded(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (numerator < 0n || denominator <= 0n)
    throw new RangeError('divideRounded takes a non-negative numerator');
  const quotient = numerator / denominator;
  return rounding === 'up' && quotient * denominator !== numerator ? quotient + 1n : quotient;
}

/** rate × quantity / 1000, rounded up to the money unit. */
export function chargeForQuantity(ratePer1000: Money, quantity: number): Money {
  return divideRounded(ratePer1000 * BigInt(quantity), 1000n, 'up');
}

/** charge × remains / quantity, rounded down: a Partial refund never exceeds what was not delivered. */
export function partialRefund(charge: Money, remains: number, quantity: number): Money {
  if (quantity <= 0) return 0n;
  const undelivered = Math.min(Math.max(remains, 0), quantity);
  return divideRounded(charge * BigInt(undelivered), BigInt(quantity), 'down');
}
