import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { Id, IsoTime, List, Money, Nullable, StringEnum } from './primitives.js';

export const PAYOUT_METHODS = ['balance', 'manual'] as const;
export const PAYOUT_STATUSES = ['requested', 'paid'] as const;

/** A payout of commission: to the balance (paid at once) or by hand (paid when the admin marks it). */
export const AffiliatePayout = Type.Object(
  {
    id: Id,
    amount: Money,
    method: StringEnum(PAYOUT_METHODS),
    status: StringEnum(PAYOUT_STATUSES),
    createdAt: IsoTime,
    paidAt: Nullable(IsoTime),
  },
  { title: 'AffiliatePayout' },
);
export type AffiliatePayout = Static<typeof AffiliatePayout>;

/** A commission on a referred customer's paid deposit, or its reversal (a negative amount). */
export const AffiliateCommission = Type.Object(
  {
    id: Id,
    kind: StringEnum(['earned', 'reversed'] as const),
    /** The deposit's credited amount (without bonus or fee) it was taken on. */
    base: Money,
    percent: Type.String(),
    amount: Money,
    createdAt: IsoTime,
  },
  { title: 'AffiliateCommission' },
);
export type AffiliateCommission = Static<typeof AffiliateCommission>;

/**
 * The customer's affiliate programme (README › Affiliates). `earned`: commissions net of reversals;
 * `pending`: earned and not yet withdrawn (payable once it reaches `minimumPayout`); `paidOut`:
 * paid to the balance or marked paid by the admin; `requested`: asked for by hand, not yet paid.
 */
export const AffiliateAnswer = Type.Object(
  {
    code: Type.String(),
    link: Type.String(),
    visits: Type.Integer(),
    signups: Type.Integer(),
    earned: Money,
    pending: Money,
    paidOut: Money,
    requested: Money,
    payingCustomers: Type.Integer(),
    /** Paying customers per sign-up, as a percent with up to 2 decimals ("12.5"). */
    conversionPercent: Type.String(),
    commissionPercent: Type.String(),
    minimumPayout: Money,
    cookieDays: Type.Integer(),
    payoutMethods: List(StringEnum(PAYOUT_METHODS)),
    canRequestPayout: Type.Boolean(),
    commissions: List(AffiliateCommission),
    payouts: List(AffiliatePayout),
  },
  { title: 'AffiliateAnswer' },
);
export type AffiliateAnswer = Static<typeof AffiliateAnswer>;

export const PayoutBody = Type.Object(
  { to: StringEnum(PAYOUT_METHODS) },
  { title: 'PayoutBody', additionalProperties: false },
);
export type PayoutBody = Static<typeof PayoutBody>;

export const getAffiliate = endpoint('GET', '/affiliate', { answer: AffiliateAnswer });
export const requestAffiliatePayout = endpoint('POST', '/affiliate/payout', {
  body: PayoutBody,
  answer: AffiliatePayout,
});
