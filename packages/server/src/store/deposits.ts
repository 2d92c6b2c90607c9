import { type DepositStatus, mayMoveDeposit, readDepositStatus } from '../domain/deposits.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, type SqlValue, type Statement, dynamicSql, sql, sqlList } from './database.js';

/** One attempt to pay money in. */
export interface Deposit {
  readonly id: number;
  readonly userId: number;
  readonly username: string;
  readonly methodId: number;
  readonly methodName: string;
  /** `manual` or the gateway's name, as the method had it. */
  readonly gateway: string;
  /** What the balance is credited. */
  readonly amount: bigint;
  readonly fee: bigint;
  /** What the customer pays the gateway (the amount, plus the fee when it is added). */
  readonly payAmount: bigint;
  readonly bonus: bigint;
  readonly currency: string;
  readonly status: DepositStatus;
  readonly gatewayPaymentId: string | null;
  readonly redirectUrl: string | null;
  readonly reference: string | null;
  readonly reason: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly paidAt: number | null;
  readonly expiresAt: number | null;
}

interface DepositRow {
  id: bigint;
  user_id: bigint;
  username: string;
  method_id: bigint;
  method_name: string;
  gateway: string;
  amount: bigint;
  fee: bigint;
  pay_amount: bigint;
  bonus: bigint;
  currency: string;
  status: string;
  gateway_payment_id: string | null;
  redirect_url: string | null;
  reference: string | null;
  reason: string | null;
  created_at: bigint;
  updated_at: bigint;
  paid_at: bigint | null;
  expires_at: bigint | null;
}

function toDeposit(row: DepositRow): Deposit {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    username: row.username,
    methodId: Number(row.method_id),
    methodName: row.method_name,
    gateway: row.gateway,
    amount: row.amount,
    fee: row.fee,
    payAmount: row.pay_amount,
    bonus: row.bonus,
    currency: row.currency,
    status: readDepositStatus(row.status),
    gatewayPaymentId: row.gateway_payment_id,
    redirectUrl: row.redirect_url,
    reference: row.reference,
    reason: row.reason,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    paidAt: numberOrNull(row.paid_at),
    expiresAt: numberOrNull(row.expires_at),
  };
}

const SELECT = `SELECT d.id, d.user_id, u.username, d.method_id, m.name AS method_name, d.gateway, d.amount, d.fee,
  d.pay_amount, d.bonus, d.currency, d.status, d.gateway_payment_id, d.redirect_url, d.reference, d.reason,
  d.created_at, d.updated_at, d.paid_at, d.expires_at
  FROM deposits d JOIN users u ON u.id = d.user_id JOIN payment_methods m ON m.id = d.method_id`;

export interface NewDeposit {
  readonly userId: number;
  readonly methodId: number;
  readonly gateway: string;
  readonly amount: bigint;
  readonly fee: bigint;
  readonly payAmount: bigint;
  readonly bonus: bigint;
  readonly currency: string;
  readonly reference: string | null;
  readonly expiresAt: number | null;
  readonly now: number;
}

const insertSql = sql(
  `INSERT INTO deposits (user_id, method_id, gateway, amount, fee, pay_amount, bonus, currency, reference, expires_at, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
);

export async function insertDeposit(q: Queryable, deposit: NewDeposit): Promise<number> {
  const row = await q.get<{ id: bigint }>(insertSql, [
    deposit.userId,
    deposit.methodId,
    deposit.gateway,
    deposit.amount,
    deposit.fee,
    deposit.payAmount,
    deposit.bonus,
    deposit.currency,
    deposit.reference,
    deposit.expiresAt,
    deposit.now,
    deposit.now,
  ]);
  if (!row) throw new Error('deposit insert returned no id');
  return Number(row.id);
}

const setPaymentSql = sql(
  `UPDATE deposits SET gateway_payment_id = ?, redirect_url = ?, updated_at = ?
   WHERE id = ? AND gateway_payment_id IS NULL`,
);

/** Records the gateway's payment for a deposit that has none yet; false when it had one already. */
export async function setDepositPayment(
  q: Queryable,
  id: number,
  payment: { paymentId: string; redirectUrl: string | null },
  now: number,
): Promise<boolean> {
  return (await q.run(setPaymentSql, [payment.paymentId, payment.redirectUrl, now, id])) === 1;
}

const selectById = sql(`${SELECT} WHERE d.id = ?`);
const selectByPayment = sql(`${SELECT} WHERE d.gateway = ? AND d.gateway_payment_id = ?`);

export async function findDeposit(q: Queryable, id: number): Promise<Deposit | undefined> {
  const row = await q.get<DepositRow>(selectById, [id]);
  return row && toDeposit(row);
}

export async function findDepositByPayment(
  q: Queryable,
  gateway: string,
  paymentId: string,
): Promise<Deposit | undefined> {
  const row = await q.get<DepositRow>(selectByPayment, [gateway, paymentId]);
  return row && toDeposit(row);
}

/** The compare-and-sets, built once per move from the domain's table. */
const moves = new Map<string, Statement>();

function moveStatement(from: readonly DepositStatus[], to: DepositStatus): Statement {
  const key = `${from.join(',')}>${to}`;
  let statement = moves.get(key);
  if (statement === undefined) {
    for (const state of from)
      if (!mayMoveDeposit(state, to)) throw new Error(`a deposit never moves from ${state} to ${to}`);
    statement = sql(
      `UPDATE deposits SET status = '${to}', reason = ?, paid_at = COALESCE(?, paid_at), updated_at = ?
       WHERE id = ? AND status IN (${sqlList(from)}) RETURNING id`,
    );
    moves.set(key, statement);
  }
  return statement;
}

/**
 * Moves a deposit from one of `from` to `to` (each a move of domain/deposits.ts' table). True only
 * for the one caller whose update won: the one that may post the money this move implies.
 */
export async function moveDeposit(
  q: Queryable,
  id: number,
  move: { from: readonly DepositStatus[]; to: DepositStatus },
  change: { reason: string | null; paidAt: number | null; now: number },
): Promise<boolean> {
  const statement = moveStatement(move.from, move.to);
  const row = await q.get<{ id: bigint }>(statement, [change.reason, change.paidAt, change.now, id]);
  return row !== undefined;
}

const expireSql = sql(
  `UPDATE deposits SET status = 'expired', reason = 'not paid in time', updated_at = ?
   WHERE status = 'pending' AND expires_at IS NOT NULL AND expires_at <= ? RETURNING id`,
);

/** Expires every pending deposit whose time is up; the ids it expired. */
export async function expireDueDeposits(q: Queryable, now: number): Promise<number[]> {
  return (await q.all<{ id: bigint }>(expireSql, [now, now])).map((row) => Number(row.id));
}

export interface DepositFilter {
  readonly userId?: number | undefined;
  readonly status?: DepositStatus | undefined;
  readonly methodId?: number | undefined;
  /** A keyset page: deposits with a smaller id. */
  readonly beforeId?: number | undefined;
  /** One deposit (the admin API's show). */
  readonly id?: number | undefined;
  readonly limit: number;
  readonly offset: number;
}

/** Deposits newest first, filtered (the SQL is built per call from the filters given). */
export async function listDeposits(q: Queryable, filter: DepositFilter): Promise<Deposit[]> {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  if (filter.userId !== undefined) {
    conditions.push('d.user_id = ?');
    params.push(filter.userId);
  }
  if (filter.status !== undefined) {
    conditions.push('d.status = ?');
    params.push(filter.status);
  }
  if (filter.methodId !== undefined) {
    conditions.push('d.method_id = ?');
    params.push(filter.methodId);
  }
  if (filter.beforeId !== undefined) {
    conditions.push('d.id < ?');
    params.push(filter.beforeId);
  }
  if (filter.id !== undefined) {
    conditions.push('d.id = ?');
    params.push(filter.id);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = await q.all<DepositRow>(dynamicSql(`${SELECT} ${where} ORDER BY d.id DESC LIMIT ? OFFSET ?`), [
    ...params,
    filter.limit,
    filter.offset,
  ]);
  return rows.map(toDeposit);
}
