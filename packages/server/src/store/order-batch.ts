import {
  type Queryable,
  type SqlValue,
  type Statement,
  idArray,
  sql,
  sqlByDialect,
  sqlValuesByDialect,
  textArray,
} from './database.js';
import type { NewOrderFields } from './orders.js';

/**
 * The statements of a batch of plain `add`s (app/orders/order-batch.ts): the balances and the
 * conflicting active links of the whole batch read with one statement each, then the orders, the
 * balance moves and the charges written with one multi-row statement each.
 */

export interface BatchBalance {
  readonly balance: bigint;
  /** The owner's `balance.low` threshold (null: none set). */
  readonly lowBalanceThreshold: bigint | null;
}

// Rows as arrays (`sqlValues`): a batch reads up to one per order.
const selectBalances = sqlValuesByDialect({
  sqlite: 'SELECT id, balance, low_balance_threshold FROM users WHERE id IN (SELECT value FROM json_each(?))',
  postgres: 'SELECT id, balance, low_balance_threshold FROM users WHERE id = ANY(?::bigint[])',
});

/** The balances (and thresholds) of these users, by id; a missing user is absent. */
export async function readBalances(
  tx: Queryable,
  userIds: readonly number[],
): Promise<Map<number, BatchBalance>> {
  const rows = await tx.all<[id: bigint, balance: bigint, lowBalanceThreshold: bigint | null]>(
    selectBalances,
    [idArray(tx, userIds)],
  );
  const balances = new Map<number, BatchBalance>();
  for (const [id, balance, lowBalanceThreshold] of rows)
    balances.set(Number(id), { balance, lowBalanceThreshold });
  return balances;
}

// Both IN lists keep the (service_id, active_link) unique index in use; the exact pairs are kept by the caller.
const selectActiveLinks = sqlByDialect({
  sqlite: `SELECT service_id, active_link FROM orders
           WHERE service_id IN (SELECT value FROM json_each(?)) AND active_link IN (SELECT value FROM json_each(?))`,
  postgres: `SELECT service_id, active_link FROM orders
             WHERE service_id = ANY(?::bigint[]) AND active_link = ANY(?::text[])`,
});

/** `service_id` + NUL + link: the key of an active link. */
export function activeLinkKey(serviceId: number, link: string): string {
  return `${serviceId}\u0000${link}`;
}

/** Which of these (service, link) pairs an order already holds as its active link. */
export async function readActiveLinks(
  tx: Queryable,
  pairs: readonly { serviceId: number; link: string }[],
): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const serviceIds = [...new Set(pairs.map((pair) => pair.serviceId))];
  const links = [...new Set(pairs.map((pair) => pair.link))];
  const rows = await tx.all<{ service_id: bigint; active_link: string }>(selectActiveLinks, [
    idArray(tx, serviceIds),
    textArray(tx, links),
  ]);
  return new Set(rows.map((row) => activeLinkKey(Number(row.service_id), row.active_link)));
}

/** Most rows one multi-row statement carries (24 parameters a row: well under SQLite's limit). */
const MAX_ROWS = 256;

function valuesFor(rows: number, columns: number): string {
  const row = `(${Array(columns).fill('?').join(', ')})`;
  return Array(rows).fill(row).join(', ');
}

/** One prepared statement per row count, made on first use. */
function perRowCount(build: (rows: number) => Statement): (rows: number) => Statement {
  const made = new Map<number, Statement>();
  return (rows) => {
    let statement = made.get(rows);
    if (!statement) {
      statement = build(rows);
      made.set(rows, statement);
    }
    return statement;
  };
}

const ORDER_COLUMN_COUNT = 24;
const insertOrdersSql = perRowCount((rows) =>
  sql(
    `INSERT INTO orders (user_id, service_id, kind, parent_id, status, link, quantity, runs, interval_minutes,
       details, rate, charge, remains, active_link, run_number, expires_at, unpaid_posts, next_run_at,
       provider_id, provider_service_id, dispatch_state, dispatch_after, created_at, updated_at)
     VALUES ${valuesFor(rows, ORDER_COLUMN_COUNT)} RETURNING id`,
  ),
);

/** A plain order of a batch: kind 'order', pending, no parent. */
export type NewPlainOrder = Pick<
  NewOrderFields,
  | 'userId'
  | 'serviceId'
  | 'link'
  | 'quantity'
  | 'details'
  | 'rate'
  | 'charge'
  | 'remains'
  | 'activeLink'
  | 'providerId'
  | 'providerServiceId'
  | 'dispatchState'
>;

/**
 * Inserts the orders (the same columns `insertOrder` writes), all placed at `now`, and resolves to
 * their ids in the order given. The caller has checked the active links under the write lock: a conflict throws.
 */
export async function insertPlainOrders(
  tx: Queryable,
  orders: readonly NewPlainOrder[],
  now: number,
): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < orders.length; start += MAX_ROWS) {
    const chunk = orders.slice(start, start + MAX_ROWS);
    const params: SqlValue[] = [];
    for (const order of chunk) {
      params.push(
        order.userId,
        order.serviceId,
        'order',
        null,
        'pending',
        order.link,
        order.quantity,
        null,
        null,
        order.details,
        order.rate,
        order.charge,
        order.remains,
        order.activeLink,
        null,
        null,
        0,
        null,
        order.providerId ?? null,
        order.providerServiceId ?? null,
        order.dispatchState ?? 'manual',
        order.dispatchState === 'queued' ? now : null,
        now,
        now,
      );
    }
    const rows = await tx.all<{ id: bigint }>(insertOrdersSql(chunk.length), params);
    if (rows.length !== chunk.length) throw new Error('batch insert returned fewer orders than it was given');
    // Ids are handed out in the order of the VALUES rows; RETURNING itself promises no order.
    ids.push(...rows.map((row) => Number(row.id)).sort((a, b) => a - b));
  }
  return ids;
}

const debitBalance = sql('UPDATE users SET balance = balance - ? WHERE id = ? AND balance - ? >= 0');

/** Takes `total` off a balance that covers it (the caller checked under the write lock: else it throws). */
export async function debitCoveredBalance(tx: Queryable, userId: number, total: bigint): Promise<void> {
  const changed = await tx.run(debitBalance, [total, userId, total]);
  if (changed !== 1) throw new Error(`batch debit of user ${userId} found the balance changed`);
}

export interface NewCharge {
  readonly userId: number;
  readonly orderId: number;
  /** Positive: what the order costs (posted negated). */
  readonly charge: bigint;
  readonly balanceAfter: bigint;
  readonly now: number;
}

const ENTRY_COLUMN_COUNT = 8;
const insertChargesSql = perRowCount((rows) =>
  sql(
    `INSERT INTO ledger_entries (user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at)
     VALUES ${valuesFor(rows, ENTRY_COLUMN_COUNT)}`,
  ),
);

/** The `charge:<order>` ledger entries, as `postLedgerEntry` writes them. */
export async function insertCharges(tx: Queryable, charges: readonly NewCharge[]): Promise<void> {
  for (let start = 0; start < charges.length; start += MAX_ROWS) {
    const chunk = charges.slice(start, start + MAX_ROWS);
    const params: SqlValue[] = [];
    for (const entry of chunk) {
      params.push(
        entry.userId,
        -entry.charge,
        'charge',
        `charge:${entry.orderId}`,
        entry.orderId,
        null,
        entry.balanceAfter,
        entry.now,
      );
    }
    const inserted = await tx.run(insertChargesSql(chunk.length), params);
    if (inserted !== chunk.length)
      throw new Error('batch insert wrote fewer ledger entries than it was given');
  }
}
