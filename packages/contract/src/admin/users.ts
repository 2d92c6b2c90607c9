import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { ApiKey } from '../api-keys.js';
import { LedgerPage } from '../funds.js';
import { Id, IsoTime, List, Money, Nullable, Rate, StringEnum } from '../primitives.js';
import { IdParams, PageQuery } from '../request-params.js';
import { STAFF_ROLES } from '../permissions.js';
import { USER_ROLES } from '../session.js';

export const USER_STATUSES = ['active', 'suspended'] as const;

/** A user's own price for a service, next to the service's rate. */
export const UserRate = Type.Object(
  { service: Id, name: Type.String(), rate: Rate, serviceRate: Rate },
  { title: 'UserRate' },
);
export type UserRate = Static<typeof UserRate>;

export const AdminUser = Type.Object(
  {
    id: Id,
    username: Type.String(),
    role: StringEnum(USER_ROLES),
    /** Staff only: owner, manager or support. */
    staffRole: Nullable(StringEnum(STAFF_ROLES)),
    status: StringEnum(USER_STATUSES),
    balance: Money,
    orders: Type.Integer(),
    /** API requests per minute: null = the panel's default, 0 = no limit. */
    rateLimitPerMinute: Nullable(Type.Integer()),
    createdAt: IsoTime,
    rates: List(UserRate),
  },
  { title: 'AdminUser' },
);
export type AdminUser = Static<typeof AdminUser>;

export const UserList = Type.Object(
  {
    users: List(AdminUser),
    page: Type.Integer(),
    pageSize: Type.Integer(),
    /** Users matching the search, on every page. */
    total: Type.Integer(),
  },
  { title: 'UserList' },
);
export type UserList = Static<typeof UserList>;

/** A deposit, or with a negative amount a deduction (never below zero). */
export const FundsBody = Type.Object(
  {
    /** Up to 5 decimals, e.g. "25" or "-3.5". */
    amount: Type.String({ maxLength: 30 }),
    memo: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { title: 'FundsBody', additionalProperties: false },
);
export type FundsBody = Static<typeof FundsBody>;

export const NewBalance = Type.Object({ balance: Money }, { title: 'NewBalance' });
export type NewBalance = Static<typeof NewBalance>;

/** A user's own rate for a service; null or empty: back to the service's rate. */
export const UserRateBody = Type.Object(
  { service: Type.Integer({ minimum: 1 }), rate: Nullable(Type.String({ maxLength: 30 })) },
  { title: 'UserRateBody', additionalProperties: false },
);
export type UserRateBody = Static<typeof UserRateBody>;

export const UserRateSet = Type.Object(
  { username: Type.String(), service: Id, rate: Nullable(Rate) },
  { title: 'UserRateSet' },
);
export type UserRateSet = Static<typeof UserRateSet>;

/** Requests per minute for the user's API keys: null = the panel's default, 0 = no limit. */
export const RateLimitBody = Type.Object(
  { perMinute: Nullable(Type.Integer({ minimum: 0 })) },
  { title: 'RateLimitBody', additionalProperties: false },
);
export type RateLimitBody = Static<typeof RateLimitBody>;

export const RateLimitSet = Type.Object(
  { userId: Id, username: Type.String(), perMinute: Nullable(Type.Integer()) },
  { title: 'RateLimitSet' },
);
export type RateLimitSet = Static<typeof RateLimitSet>;

/** active or suspended (checked by the server, which says which are allowed). */
export const UserStatusBody = Type.Object(
  { status: Type.String({ maxLength: 40 }) },
  { title: 'UserStatusBody', additionalProperties: false },
);
export type UserStatusBody = Static<typeof UserStatusBody>;

export const UserStatusSet = Type.Object(
  { id: Id, status: StringEnum(USER_STATUSES) },
  { title: 'UserStatusSet' },
);
export type UserStatusSet = Static<typeof UserStatusSet>;

/** A live web session of a user (never its token). */
export const UserSession = Type.Object(
  {
    id: Id,
    createdAt: IsoTime,
    expiresAt: IsoTime,
    /** The staff member signed in as the user in this session, if it is one. */
    impersonatedBy: Nullable(Type.String()),
  },
  { title: 'UserSession' },
);
export type UserSession = Static<typeof UserSession>;

/** How a user gets in: live web sessions and API keys (first characters only). */
export const UserAccess = Type.Object(
  { sessions: List(UserSession), apiKeys: List(ApiKey) },
  { title: 'UserAccess' },
);
export type UserAccess = Static<typeof UserAccess>;

export const listUsers = endpoint('GET', '/admin/users', { querystring: PageQuery, answer: UserList });
export const getUserLedger = endpoint('GET', '/admin/users/:id/ledger', {
  params: IdParams,
  querystring: PageQuery,
  answer: LedgerPage,
});
export const getUserAccess = endpoint('GET', '/admin/users/:id/access', {
  params: IdParams,
  answer: UserAccess,
});
export const addUserFunds = endpoint('POST', '/admin/users/:id/funds', {
  params: IdParams,
  body: FundsBody,
  answer: NewBalance,
});
export const setUserRate = endpoint('POST', '/admin/users/:id/rates', {
  params: IdParams,
  body: UserRateBody,
  answer: UserRateSet,
});
export const setUserRateLimit = endpoint('POST', '/admin/users/:id/rate-limit', {
  params: IdParams,
  body: RateLimitBody,
  answer: RateLimitSet,
});
export const setUserStatus = endpoint('POST', '/admin/users/:id/status', {
  params: IdParams,
  body: UserStatusBody,
  answer: UserStatusSet,
});
