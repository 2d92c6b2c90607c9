import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { Dictionary, Id, List, Money, Nullable } from '../primitives.js';
import { IdParams } from '../request-params.js';
import { BonusTier, Deposit, DepositQuery } from '../payments.js';

/** A method as the admin sees it: the gateway's secrets masked ("********"), never shown again. */
export const AdminPaymentMethod = Type.Object(
  {
    id: Id,
    gateway: Type.String(),
    name: Type.String(),
    enabled: Type.Boolean(),
    min: Nullable(Type.String()),
    max: Nullable(Type.String()),
    feePercent: Type.String(),
    /** The tiers as the CLI takes them: "100:5,500:10". */
    bonus: Type.String(),
    bonusTiers: List(BonusTier),
    instructions: Nullable(Type.String()),
    config: Dictionary(Type.String()),
  },
  { title: 'AdminPaymentMethod' },
);
export type AdminPaymentMethod = Static<typeof AdminPaymentMethod>;

export const AdminPaymentMethods = Type.Object(
  { methods: List(AdminPaymentMethod) },
  { title: 'AdminPaymentMethods' },
);
export type AdminPaymentMethods = Static<typeof AdminPaymentMethods>;

const methodFields = {
  name: Type.String({ maxLength: 100 }),
  enabled: Type.Boolean(),
  /** Major units ("5", "5.00"); empty or null: no limit. */
  min: Nullable(Type.String({ maxLength: 30 })),
  max: Nullable(Type.String({ maxLength: 30 })),
  feePercent: Type.String({ maxLength: 10 }),
  /** "100:5,500:10"; empty: no bonus. */
  bonus: Type.String({ maxLength: 500 }),
  instructions: Nullable(Type.String({ maxLength: 2000 })),
  /** The gateway's settings and secrets; on an update, only the keys that change. */
  config: Dictionary(Type.String({ maxLength: 2000 }), { maxProperties: 20 }),
};

export const NewPaymentMethodBody = Type.Object(
  {
    gateway: Type.String({ maxLength: 40 }),
    name: methodFields.name,
    enabled: Type.Optional(methodFields.enabled),
    min: Type.Optional(methodFields.min),
    max: Type.Optional(methodFields.max),
    feePercent: Type.Optional(methodFields.feePercent),
    bonus: Type.Optional(methodFields.bonus),
    instructions: Type.Optional(methodFields.instructions),
    config: Type.Optional(methodFields.config),
  },
  { title: 'NewPaymentMethodBody', additionalProperties: false },
);
export type NewPaymentMethodBody = Static<typeof NewPaymentMethodBody>;

export const PaymentMethodPatch = Type.Object(
  {
    name: Type.Optional(methodFields.name),
    enabled: Type.Optional(methodFields.enabled),
    min: Type.Optional(methodFields.min),
    max: Type.Optional(methodFields.max),
    feePercent: Type.Optional(methodFields.feePercent),
    bonus: Type.Optional(methodFields.bonus),
    instructions: Type.Optional(methodFields.instructions),
    config: Type.Optional(methodFields.config),
  },
  { title: 'PaymentMethodPatch', additionalProperties: false },
);
export type PaymentMethodPatch = Static<typeof PaymentMethodPatch>;

export const NewPaymentMethod = Type.Object({ id: Id }, { title: 'NewPaymentMethod' });
export type NewPaymentMethod = Static<typeof NewPaymentMethod>;

/** A deposit with its customer, for the admin's lists. */
export const AdminDeposit = Type.Object(
  { ...Deposit.properties, userId: Id, username: Type.String() },
  { title: 'AdminDeposit' },
);
export type AdminDeposit = Static<typeof AdminDeposit>;

export const AdminDepositList = Type.Object(
  { deposits: List(AdminDeposit), page: Type.Integer() },
  { title: 'AdminDepositList' },
);
export type AdminDepositList = Static<typeof AdminDepositList>;

export const RejectDepositBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { title: 'RejectDepositBody', additionalProperties: false },
);
export type RejectDepositBody = Static<typeof RejectDepositBody>;

export const listAdminPaymentMethods = endpoint('GET', '/admin/payment-methods', {
  answer: AdminPaymentMethods,
});
export const addPaymentMethod = endpoint('POST', '/admin/payment-methods', {
  body: NewPaymentMethodBody,
  answer: NewPaymentMethod,
});
export const updatePaymentMethod = endpoint('PATCH', '/admin/payment-methods/:id', {
  params: IdParams,
  body: PaymentMethodPatch,
  answer: AdminPaymentMethod,
});
/** Every deposit, newest first; `?status=review` is the review list. */
export const listAdminDeposits = endpoint('GET', '/admin/deposits', {
  querystring: DepositQuery,
  answer: AdminDepositList,
});
export const approveDeposit = endpoint('POST', '/admin/deposits/:id/approve', {
  params: IdParams,
  answer: AdminDeposit,
});
export const rejectDeposit = endpoint('POST', '/admin/deposits/:id/reject', {
  params: IdParams,
  body: RejectDepositBody,
  answer: AdminDeposit,
});

/** One UTC day's paid deposits through one method. */
export const DepositDayTotal = Type.Object(
  {
    /** YYYY-MM-DD, UTC, the day the deposit was paid. */
    date: Type.String(),
    method: Id,
    methodName: Type.String(),
    count: Type.Integer(),
    /** The amounts credited (bonuses aside). */
    sum: Money,
  },
  { title: 'DepositDayTotal' },
);
export type DepositDayTotal = Static<typeof DepositDayTotal>;

export const DepositDailyTotals = Type.Object(
  { days: Type.Integer(), totals: List(DepositDayTotal) },
  { title: 'DepositDailyTotals' },
);
export type DepositDailyTotals = Static<typeof DepositDailyTotals>;

/** Paid deposits per method per day over the last 14 days, newest day first (the dashboard's table). */
export const getDepositDailyTotals = endpoint('GET', '/admin/deposits/daily', {
  answer: DepositDailyTotals,
});
