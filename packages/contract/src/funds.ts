import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { Id, IsoTime, List, Money, Nullable } from './primitives.js';
import { PageQuery } from './request-params.js';

/** One change of a balance, newest first, with the balance after it. */
export const LedgerEntry = Type.Object(
  {
    id: Id,
    /** deposit, charge, refund, adjustment. */
    kind: Type.String(),
    /** Signed: a charge is negative. */
    amount: Money,
    orderId: Nullable(Id),
    memo: Nullable(Type.String()),
    balanceAfter: Money,
    createdAt: IsoTime,
  },
  { title: 'LedgerEntry' },
);
export type LedgerEntry = Static<typeof LedgerEntry>;

const ledgerPageFields = {
  entries: List(LedgerEntry),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
};

/** A page of a user's ledger (the admin's view of a user). */
export const LedgerPage = Type.Object(ledgerPageFields, { title: 'LedgerPage' });
export type LedgerPage = Static<typeof LedgerPage>;

/** The customer's own ledger page and current balance. */
export const FundsPage = Type.Object({ ...ledgerPageFields, balance: Money }, { title: 'FundsPage' });
export type FundsPage = Static<typeof FundsPage>;

export const listFunds = endpoint('GET', '/funds', { querystring: PageQuery, answer: FundsPage });
