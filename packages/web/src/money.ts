/**
 * How the web panel shows an exact decimal amount from the server ("24.32500"): two decimals
 * unless more are significant (25 → 25.00, 24.325 → 24.325, 0.00001 → 0.00001). Pure string work,
 * never a float, so nothing is rounded. API v2 keeps its 5-decimal strings; this is display only.
 */
export function displayAmount(amount: string): string {
  const match = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(amount.trim());
  if (match === null) return amount;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  return `${sign === '+' ? '' : sign}${whole}.${significant.padEnd(2, '0')}`;
}

/** An amount with its currency: "24.325 USD"; a missing amount is a dash. */
export function displayMoney(amount: string | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  const shown = displayAmount(amount);
  return currency ? `${shown} ${currency}` : shown;
}
