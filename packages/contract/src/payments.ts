import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { Id, IsoTime, List, Money, Nullable, StringEnum } from './primitives.js';

/** A deposit's states: pending → paid | failed | expired | review; paid → refunded | disputed. */
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

/** `added`: the customer pays amount + fee; `absorbed`: the customer pays the amount, the panel the fee. */
export const FEE_MODES = ['added', 'absorbed'] as const;

export const BonusTier = Type.Object(
  {
    /** Deposits of at least this amount ("100.00")… */
    from: Type.String(),
    /** …get this percent on top ("5", "2.5"). */
    percent: Type.String(),
  },
  { title: 'BonusTier' },
);
export type BonusTier = Static<typeof BonusTier>;

/** An enabled method as customers see it: no config, no secrets. */
export const CustomerPaymentMethod = Type.Object(
  {
    id: Id,
    name: Type.String(),
    /** `manual` or the gateway's name. */
    gateway: Type.String(),
    /** Major units with 2 decimals ("5.00"); null: no limit. */
    min: Nullable(Type.String()),
    max: Nullable(Type.String()),
    feePercent: Type.String(),
    feeMode: StringEnum(FEE_MODES),
    bonusTiers: List(BonusTier),
    instructions: Nullable(Type.String()),
  },
  { title: 'CustomerPaymentMethod' },
);
export type CustomerPaymentMethod = Static<typeof CustomerPaymentMethod>;

export const CustomerPaymentMethods = Type.Object(
  { methods: List(CustomerPaymentMethod) },
  { title: 'CustomerPaymentMethods' },
);
export type CustomerPaymentMethods = Static<typeof CustomerPaymentMethods>;

const depositFields = {
  id: Id,
  method: Id,
  methodName: Type.String(),
  gateway: Type.String(),
  /** What the balance is credited. */
  amount: Money,
  fee: Money,
  /** What the customer pays (the amount, plus the fee when it is added). */
  payAmount: Money,
  bonus: Money,
  currency: Type.String(),
  status: StringEnum(DEPOSIT_STATUSES),
  reference: Nullable(Type.String()),
  /** Why it failed, expired or waits for review. */
  reason: Nullable(Type.String()),
  /** A gateway's payment page while the deposit is pending. */
  redirectUrl: Nullable(Type.String()),
  createdAt: IsoTime,
  paidAt: Nullable(IsoTime),
  expiresAt: Nullable(IsoTime),
};

export const Deposit = Type.Object(depositFields, { title: 'Deposit' });
export type Deposit = Static<typeof Deposit>;

export const DepositList = Type.Object(
  { deposits: List(Deposit), page: Type.Integer() },
  { title: 'DepositList' },
);
export type DepositList = Static<typeof DepositList>;

export const NewDepositBody = Type.Object(
  {
    method: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    /** Major units, at most 2 decimals: "10.00". */
    amount: Type.String({ maxLength: 30 }),
    /** A manual payment's transfer reference, wallet transaction… */
    reference: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { title: 'NewDepositBody', additionalProperties: false },
);
export type NewDepositBody = Static<typeof NewDepositBody>;

export const StartedDeposit = Type.Object(
  {
    id: Id,
    status: StringEnum(DEPOSIT_STATUSES),
    /** The gateway's payment page to send the customer to; null for a manual method. */
    redirectUrl: Nullable(Type.String()),
    /** What to do to pay (a manual method's bank details…). */
    instructions: Nullable(Type.String()),
  },
  { title: 'StartedDeposit' },
);
export type StartedDeposit = Static<typeof StartedDeposit>;

export const DepositQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    status: Type.Optional(Type.String({ maxLength: 20 })),
    method: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  },
  { title: 'DepositQuery' },
);
export type DepositQuery = Static<typeof DepositQuery>;

export const listPaymentMethods = endpoint('GET', '/payment-methods', { answer: CustomerPaymentMethods });
export const createDeposit = endpoint('POST', '/deposits', { body: NewDepositBody, answer: StartedDeposit });
export const listDeposits = endpoint('GET', '/deposits', { querystring: DepositQuery, answer: DepositList });

export const DepositQuoteQuery = Type.Object(
  {
    method: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    /** As the customer types it: "10.00". */
    amount: Type.String({ maxLength: 30 }),
  },
  { title: 'DepositQuoteQuery' },
);
export type DepositQuoteQuery = Static<typeof DepositQuoteQuery>;

/** What a deposit of `amount` through a method would cost and bring, computed by the server. */
export const DepositQuote = Type.Object(
  {
    amount: Money,
    fee: Money,
    /** What the customer pays: the amount, plus the fee when it is added. */
    pay: Money,
    bonus: Money,
    /** What the balance is credited: the amount and its bonus. */
    credit: Money,
    currency: Type.String(),
  },
  { title: 'DepositQuote' },
);
export type DepositQuote = Static<typeof DepositQuote>;

export const quoteDeposit = endpoint('GET', '/deposits/quote', {
  querystring: DepositQuoteQuery,
  answer: DepositQuote,
});
