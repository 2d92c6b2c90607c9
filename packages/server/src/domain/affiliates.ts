import { DAY_MS } from './lifecycle-rules.js';
import { type Money, divideRounded, parseMoney } from './money.js';
import { readStoredValue } from './stored-value.js';

/**
 * The affiliate programme's rules: referral codes, who may be attributed to whom, the commission on
 * a referred customer's paid deposit, when it may be paid out, and the unique keys of every row and
 * ledger entry it posts.
 */

/** The panel's settings, with their defaults (README › Affiliates). */
export interface AffiliateSettings {
  /** The commission in basis points of a paid deposit's credited amount: 500 = 5%. */
  readonly commissionBps: number;
  /** How long a referral link's cookie lasts. */
  readonly cookieDays: number;
  /** The available commission needed before a payout may be requested. */
  readonly minimumPayout: Money;
  /** Whether an affiliate may ask to be paid by hand (the admin marks it paid) instead of to their balance. */
  readonly manualPayouts: boolean;
}

export const DEFAULT_AFFILIATE_SETTINGS: AffiliateSettings = {
  commissionBps: 500,
  cookieDays: 30,
  minimumPayout: 1_000_000n,
  manualPayouts: false,
};

export const MAX_COOKIE_DAYS = 365;

/** A referral code: what a link carries. Made of letters and digits only, so a link never needs escaping. */
const CODE_PATTERN = /^[A-Za-z0-9]{4,32}$/;
const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const CODE_LENGTH = 8;

export function isReferralCode(text: string): boolean {
  return CODE_PATTERN.test(text);
}

/** A new code from random bytes (the caller's entropy: the domain does no I/O). */
export function referralCodeFrom(bytes: Uint8Array): string {
  if (bytes.length < CODE_LENGTH) throw new RangeError(`a referral code needs ${CODE_LENGTH} random bytes`);
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[bytes[i]! % CODE_ALPHABET.length];
  return code;
}

/**
 * The referral cookie's value: the code and when the link was followed, so the panel (not only the
 * browser) decides whether a sign-up is within the cookie's life.
 */
export function referralCookieValue(code: string, visitedAt: number): string {
  return `${code}.${visitedAt}`;
}

/** The code of a cookie still within its life at `now`; null for an expired, malformed or future one. */
export function referralFromCookie(value: string, now: number, cookieDays: number): string | null {
  const match = /^([A-Za-z0-9]{4,32})\.(\d{1,15})$/.exec(value);
  if (!match) return null;
  const visitedAt = Number(match[2]);
  if (visitedAt > now || now - visitedAt > cookieDays * DAY_MS) return null;
  return match[1]!;
}

/**
 * The mailbox an address delivers to, for the self-referral check: lower-cased, without a
 * `+tag`, and for Gmail without dots (alice.b+x@gmail.com is alice b@gmail.com's own inbox).
 */
export function mailboxOf(email: string): string {
  const at = email.lastIndexOf('@');
  if (at === -1) return email.toLowerCase();
  let local = email.slice(0, at).toLowerCase();
  let domain = email.slice(at + 1).toLowerCase();
  const plus = local.indexOf('+');
  if (plus !== -1) local = local.slice(0, plus);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (domain === 'gmail.com') local = local.replaceAll('.', '');
  return `${local}@${domain}`;
}

export type AttributionRefusal = 'self' | 'same_mailbox' | 'cycle';

/**
 * Whether a newcomer may be attributed to an affiliate. Refused: the affiliate themself, the
 * same mailbox (one person's second account), and a cycle: the newcomer is already the affiliate's
 * referrer, directly or up the chain (`affiliateChain`: the affiliate's referrer, theirs, …).
 */
export function attributionRefusal(
  affiliate: { readonly id: number; readonly email: string | null },
  newcomer: { readonly id: number; readonly email: string | null },
  affiliateChain: readonly number[],
): AttributionRefusal | null {
  if (affiliate.id === newcomer.id) return 'self';
  if (
    affiliate.email !== null &&
    newcomer.email !== null &&
    mailboxOf(affiliate.email) === mailboxOf(newcomer.email)
  )
    return 'same_mailbox';
  if (affiliateChain.includes(newcomer.id)) return 'cycle';
  return null;
}

/** How far up a referral chain the cycle check looks: chains are made one sign-up at a time. */
export const MAX_CHAIN = 64;

/**
 * The commission on a paid deposit: `base` (the credited amount, without bonus or fee) × the
 * rate, rounded down to the money unit: the panel never pays a fraction it does not owe.
 */
export function commissionFor(base: Money, commissionBps: number): Money {
  if (base <= 0n || commissionBps <= 0) return 0n;
  return divideRounded(base * BigInt(commissionBps), 10_000n, 'down');
}

/** The unique key of a deposit's commission, and of its reversal (one each, whatever retries). */
export function commissionKeys(depositId: number): { earned: string; reversed: string } {
  return { earned: `commission:deposit:${depositId}`, reversed: `commission:reversal:${depositId}` };
}

/**
 * A payout's unique key: the affiliate and how much they had withdrawn before it. Two requests
 * that read the same total can never both be posted.
 */
export function payoutKey(affiliateId: number, withdrawnBefore: Money): string {
  return `affiliate:${affiliateId}:payout:${withdrawnBefore}`;
}

export const PAYOUT_METHODS = ['balance', 'manual'] as const;
export type PayoutMethod = (typeof PAYOUT_METHODS)[number];

export const PAYOUT_STATUSES = ['requested', 'paid'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

export function readPayoutMethod(stored: string): PayoutMethod {
  return readStoredValue(PAYOUT_METHODS, stored, 'affiliate payout method');
}

export function readPayoutStatus(stored: string): PayoutStatus {
  return readStoredValue(PAYOUT_STATUSES, stored, 'affiliate payout status');
}

export const COMMISSION_KINDS = ['earned', 'reversed'] as const;
export type CommissionKind = (typeof COMMISSION_KINDS)[number];

export function readCommissionKind(stored: string): CommissionKind {
  return readStoredValue(COMMISSION_KINDS, stored, 'commission kind');
}

export type PayoutRefusal =
  | { readonly kind: 'manual_not_allowed' }
  | { readonly kind: 'below_minimum'; readonly available: Money; readonly minimum: Money };

/** Whether `available` (earned, net of reversals, not yet withdrawn) may be paid out now, and how. */
export function payoutRefusal(
  available: Money,
  method: PayoutMethod,
  settings: AffiliateSettings,
): PayoutRefusal | null {
  if (method === 'manual' && !settings.manualPayouts) return { kind: 'manual_not_allowed' };
  if (available <= 0n || available < settings.minimumPayout)
    return { kind: 'below_minimum', available, minimum: settings.minimumPayout };
  return null;
}

/** Conversion: referred customers who paid, per sign-up, in basis points (rounded down). */
export function conversionBps(signups: number, payingCustomers: number): number {
  if (signups <= 0) return 0;
  return Math.floor((payingCustomers * 10_000) / signups);
}

/** A minimum payout as typed by the admin: money, zero or more, at most 5 decimals. */
export function parseMinimumPayout(text: string): Money | null {
  const amount = parseMoney(text);
  return amount === null || amount < 0n ? null : amount;
}
