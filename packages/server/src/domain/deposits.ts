import { type Money, MONEY_SCALE, divideRounded, parseMoney } from './money.js';
import { readStoredValue } from './stored-value.js';

/**
 * A deposit: one attempt by a customer to pay money in through a payment method. It starts
 * `pending`; a gateway's notification (or the admin, for a manual method) settles it. Only a deposit
 * that becomes `paid` credits the balance; only a `paid` one that the gateway then refunds or sees
 * disputed is debited back (a chargeback).
 */
export const DEPOSIT_STATUSES = [
  'pending',
  'paid',
  'failed',
  'expired',
  'review',
  'refunded',
  'disputed',
] as const;
export type DepositStatus = (typeof DEPOSIT_STATUSES)[number];

export function readDepositStatus(stored: string): DepositStatus {
  return readStoredValue(DEPOSIT_STATUSES, stored, 'deposit status');
}

/**
 * Every move a deposit may make, as the states it may leave. The store builds its compare-and-set
 * from this table, so two notifications (or two admins) racing on one deposit move it once.
 * - `pending → paid | failed | expired | review` (review: paid, but not as expected).
 * - `review → paid | failed`: the admin settles it.
 * - `expired | failed → review`: the money arrived after all; an admin decides, nothing is lost.
 * - `paid → refunded | disputed`: a chargeback debits what was credited.
 * - `pending | review → refunded | disputed`: the gateway took the money back before anything was
 *   credited (a refund notification that overtook the payment's): nothing to debit, and a late
 *   `paid` finds the deposit final.
 */
export const DEPOSIT_TRANSITIONS: Readonly<Record<DepositStatus, readonly DepositStatus[]>> = {
  pending: [],
  paid: ['pending', 'review'],
  failed: ['pending', 'review'],
  expired: ['pending'],
  review: ['pending', 'expired', 'failed'],
  refunded: ['paid', 'pending', 'review'],
  disputed: ['paid', 'pending', 'review'],
};

export function mayMoveDeposit(from: DepositStatus, to: DepositStatus): boolean {
  return DEPOSIT_TRANSITIONS[to].includes(from);
}

/** Who settles a deposit: the admin (bank transfer, wallet…) or a gateway's notifications. */
export const MANUAL_GATEWAY = 'manual';

/** Whether the customer pays the method's fee on top of the amount, or the panel absorbs it. */
export const FEE_MODES = ['added', 'absorbed'] as const;
export type FeeMode = (typeof FEE_MODES)[number];

/** One bonus tier: deposits of at least `from` get `percentBps` (hundredths of a percent) on top. */
export interface BonusTier {
  readonly from: Money;
  readonly percentBps: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const CENT: Money = MONEY_SCALE / 100n;
const MAX_PERCENT_BPS = 100_00;

/**
 * A deposit amount as the customer types it: positive, at most 2 decimals (what every gateway
 * charges in), e.g. "10", "10.5", "10.50".
 */
export function parseDepositAmount(text: string): Parsed<Money> {
  const trimmed = text.trim();
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(trimmed))
    return { ok: false, reason: 'a positive amount with at most 2 decimals, e.g. 10 or 10.50' };
  const amount = parseMoney(trimmed);
  if (amount === null || amount <= 0n) return { ok: false, reason: 'must be more than zero' };
  return { ok: true, value: amount };
}

/** A percent with up to 2 decimals between 0 and 100 ("2.5" → 250 basis points). */
export function parsePercent(text: string): Parsed<number> {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return { ok: false, reason: 'a percent between 0 and 100 with up to 2 decimals, e.g. 2.5' };
  const bps = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (bps > MAX_PERCENT_BPS) return { ok: false, reason: 'at most 100' };
  return { ok: true, value: bps };
}

export function formatPercent(bps: number): string {
  const whole = Math.floor(bps / 100);
  const fraction = bps % 100;
  if (fraction === 0) return String(whole);
  return `${whole}.${String(fraction).padStart(2, '0').replace(/0$/, '')}`;
}

/**
 * Bonus tiers as "100:5,500:10": from 100 +5%, from 500 +10%. Empty text: no bonus. Each amount is
 * a deposit amount, each percent more than zero, no amount twice.
 */
export function parseBonusTiers(text: string): Parsed<BonusTier[]> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: [] };
  const tiers: BonusTier[] = [];
  for (const part of trimmed.split(',')) {
    const [amountText, percentText, extra] = part.split(':');
    if (amountText === undefined || percentText === undefined || extra !== undefined)
      return { ok: false, reason: `"${part.trim()}" is not AMOUNT:PERCENT, e.g. 100:5` };
    const from = parseDepositAmount(amountText);
    if (!from.ok) return { ok: false, reason: `tier amount "${amountText.trim()}": ${from.reason}` };
    const percent = parsePercent(percentText);
    if (!percent.ok) return { ok: false, reason: `tier percent "${percentText.trim()}": ${percent.reason}` };
    if (percent.value === 0)
      return { ok: false, reason: `tier percent of "${part.trim()}" must be more than zero` };
    if (tiers.some((tier) => tier.from === from.value))
      return { ok: false, reason: `two tiers from ${amountText.trim()}` };
    tiers.push({ from: from.value, percentBps: percent.value });
  }
  return { ok: true, value: tiers.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)) };
}

/** "100:5,500:10", as parseBonusTiers reads it (empty for none). */
export function formatBonusTiers(tiers: readonly BonusTier[]): string {
  return tiers.map((tier) => `${formatMajor(tier.from)}:${formatPercent(tier.percentBps)}`).join(',');
}

/** The bonus on a deposit of `amount`: the highest tier reached wins; rounded down (never over-credits). */
export function bonusFor(amount: Money, tiers: readonly BonusTier[]): Money {
  let best: BonusTier | null = null;
  for (const tier of tiers) if (amount >= tier.from && (best === null || tier.from > best.from)) best = tier;
  if (best === null) return 0n;
  return divideRounded(amount * BigInt(best.percentBps), 10_000n, 'down');
}

/** The fee on a deposit of `amount`: rounded up to the cent, as a gateway charges. */
export function feeFor(amount: Money, feeBps: number): Money {
  if (feeBps === 0) return 0n;
  const cents = divideRounded(amount * BigInt(feeBps), 10_000n * CENT, 'up');
  return cents * CENT;
}

export interface DepositLimits {
  readonly min: Money | null;
  readonly max: Money | null;
}

/** What a deposit of `amount` costs and brings: the customer pays `payAmount`, is credited `amount` + `bonus`. */
export interface DepositTerms {
  readonly amount: Money;
  readonly fee: Money;
  readonly payAmount: Money;
  readonly bonus: Money;
}

export type DepositTermsFailure =
  { readonly kind: 'below_min'; readonly min: Money } | { readonly kind: 'above_max'; readonly max: Money };

export function depositTerms(
  amount: Money,
  method: DepositLimits & { readonly feeBps: number; readonly bonusTiers: readonly BonusTier[] },
  feeMode: FeeMode,
): { ok: true; value: DepositTerms } | { ok: false; failure: DepositTermsFailure } {
  if (method.min !== null && amount < method.min)
    return { ok: false, failure: { kind: 'below_min', min: method.min } };
  if (method.max !== null && amount > method.max)
    return { ok: false, failure: { kind: 'above_max', max: method.max } };
  const fee = feeFor(amount, method.feeBps);
  return {
    ok: true,
    value: {
      amount,
      fee,
      payAmount: feeMode === 'added' ? amount + fee : amount,
      bonus: bonusFor(amount, method.bonusTiers),
    },
  };
}

/** Money in major units with 2 decimals ("10.50"): how amounts cross to a gateway. */
export function formatMajor(amount: Money): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const cents = divideRounded(abs, CENT, 'up');
  return `${negative ? '-' : ''}${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

/**
 * A gateway's amount and currency against what the deposit asked for. A different amount or
 * currency is not the deposit's payment: it credits nothing and goes to review with this reason.
 */
export function paymentMismatch(
  expected: { readonly payAmount: Money; readonly currency: string },
  paid: { readonly amount: string; readonly currency: string },
): string | null {
  const amount = parseMoney(paid.amount);
  const currency = paid.currency.trim().toUpperCase();
  if (amount === null || amount !== expected.payAmount || currency !== expected.currency.toUpperCase()) {
    return `paid ${paid.amount} ${paid.currency}, expected ${formatMajor(expected.payAmount)} ${expected.currency}`;
  }
  return null;
}

/**
 * The unique keys of a deposit's ledger entries: derived from the gateway and the gateway's own
 * payment id (a manual deposit: its own id), so a replay can never post one twice.
 */
export function depositEntryKeys(gateway: string, paymentRef: string) {
  return {
    credit: `deposit:${gateway}:${paymentRef}`,
    bonus: `bonus:${gateway}:${paymentRef}`,
    chargeback: `chargeback:${gateway}:${paymentRef}`,
    bonusChargeback: `chargeback:bonus:${gateway}:${paymentRef}`,
  };
}
