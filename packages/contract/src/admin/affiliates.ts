import { type Static, Type } from 'typebox';
import { AffiliatePayout } from '../affiliates.js';
import { endpoint } from '../endpoint.js';
import { Id, List, Money, Nullable } from '../primitives.js';
import { IdParams } from '../request-params.js';

/** One affiliate in the admin's list; `commissionPercent` null: the panel's setting applies. */
export const AffiliateListing = Type.Object(
  {
    userId: Id,
    username: Type.String(),
    code: Type.String(),
    commissionPercent: Nullable(Type.String()),
    visits: Type.Integer(),
    signups: Type.Integer(),
    earned: Money,
    pending: Money,
  },
  { title: 'AffiliateListing' },
);
export type AffiliateListing = Static<typeof AffiliateListing>;

export const AffiliateList = Type.Object(
  {
    affiliates: List(AffiliateListing),
    page: Type.Integer(),
    pageSize: Type.Integer(),
    total: Type.Integer(),
  },
  { title: 'AffiliateList' },
);
export type AffiliateList = Static<typeof AffiliateList>;

export const AffiliateListQuery = Type.Object(
  { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) },
  { additionalProperties: false },
);

/** A customer's own commission percent (0-100, up to 2 decimals), or null for the panel's setting. */
export const CommissionOverrideBody = Type.Object(
  { commissionPercent: Nullable(Type.String({ maxLength: 10 })) },
  { title: 'CommissionOverrideBody', additionalProperties: false },
);
export type CommissionOverrideBody = Static<typeof CommissionOverrideBody>;

export const CommissionOverride = Type.Object(
  { userId: Id, commissionPercent: Nullable(Type.String()) },
  { title: 'CommissionOverride' },
);

/** A payout request waiting to be paid by hand, with whose it is. */
export const PayoutRequest = Type.Object(
  { ...AffiliatePayout.properties, affiliate: Type.String() },
  { title: 'PayoutRequest' },
);
export type PayoutRequest = Static<typeof PayoutRequest>;

export const PayoutRequests = Type.Object({ payouts: List(PayoutRequest) }, { title: 'PayoutRequests' });

/** The programme's settings (README › Affiliates), money as decimal text. */
export const AffiliateSettings = Type.Object(
  {
    commissionPercent: Type.String({ maxLength: 10 }),
    cookieDays: Type.Integer({ minimum: 1, maximum: 365 }),
    minimumPayout: Type.String({ maxLength: 30 }),
    manualPayouts: Type.Boolean(),
  },
  { title: 'AffiliateSettings', additionalProperties: false },
);
export type AffiliateSettings = Static<typeof AffiliateSettings>;

export const listAffiliates = endpoint('GET', '/admin/affiliates', {
  querystring: AffiliateListQuery,
  answer: AffiliateList,
});
export const setAffiliateCommission = endpoint('PUT', '/admin/affiliates/:id/commission', {
  params: IdParams,
  body: CommissionOverrideBody,
  answer: CommissionOverride,
});
export const listPayoutRequests = endpoint('GET', '/admin/affiliate-payouts', { answer: PayoutRequests });
export const markPayoutPaid = endpoint('POST', '/admin/affiliate-payouts/:id/paid', {
  params: IdParams,
  answer: PayoutRequest,
});
export const getAffiliateSettings = endpoint('GET', '/admin/affiliate-settings', {
  answer: AffiliateSettings,
});
export const saveAffiliateSettings = endpoint('PUT', '/admin/affiliate-settings', {
  body: AffiliateSettings,
  answer: AffiliateSettings,
});
