import { formatMoney } from './money.js';

/**
 * Which details of an audit entry are money in the panel currency, by action. Entries store them
 * as recorded: a formatted decimal ("25.00000", "0.90") or, in older service entries, a count of
 * 10⁻⁵ units ("90000"). Other amounts (a deposit's, in its gateway's currency) stay in the details.
 */
const MONEY_DETAILS: Readonly<Record<string, readonly string[]>> = {
  'funds.deposit': ['amount', 'balance'],
  'funds.adjustment': ['amount', 'balance'],
  'order.status': ['refund'],
  'rate.set': ['rate'],
  'service.create': ['rate', 'providerRate'],
  'service.update': ['rate'],
};

/** The money an audit entry's details name, each as a 5-decimal string, in the table's order. */
export function auditAmounts(action: string, details: unknown): { name: string; amount: string }[] {
  const keys = MONEY_DETAILS[action] ?? [];
  if (typeof details !== 'object' || details === null) return [];
  const values = details as Record<string, unknown>;
  return keys.flatMap((name) => {
    const value = values[name];
    if (typeof value !== 'string') return [];
    if (/^-?\d{1,30}$/.test(value)) return [{ name, amount: formatMoney(BigInt(value)) }];
    const decimal = /^(-?\d{1,30})\.(\d{1,5})$/.exec(value);
    if (decimal === null) return [];
    return [{ name, amount: `${decimal[1]}.${decimal[2]!.padEnd(5, '0')}` }];
  });
}
