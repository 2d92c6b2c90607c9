import { type Queryable, sql } from '../../src/store/database.js';

/**
 * Raw rows of the orders side, as stored (snake_case, integers as `bigint`): what the integration
 * tests inspect the database with. The store hands the app records; a test asserting on what was
 * written reads the rows themselves, through these.
 */

export interface OrderRow {
  id: bigint;
  user_id: bigint;
  service_id: bigint;
  kind: 'order' | 'dripfeed' | 'subscription';
  parent_id: bigint | null;
  status: string;
  link: string | null;
  quantity: bigint;
  runs: bigint | null;
  interval_minutes: bigint | null;
  details: string;
  rate: bigint;
  charge: bigint;
  refunded: bigint;
  start_count: bigint;
  remains: bigint;
  active_link: string | null;
  dispatch_state: string;
  provider_id: bigint | null;
  provider_order_id: string | null;
  dispatch_error: string | null;
  provider_charge: bigint | null;
  provider_currency: string | null;
  created_at: bigint;
  updated_at: bigint;
  completed_at: bigint | null;
}

const selectOrder = sql(
  `SELECT id, user_id, service_id, kind, parent_id, status, link, quantity, runs, interval_minutes, details, rate,
     charge, refunded, start_count, remains, active_link, dispatch_state, provider_id, provider_order_id,
     dispatch_error, provider_charge, provider_currency, created_at, updated_at, completed_at
   FROM orders WHERE id = ?`,
);

export function findOrder(q: Queryable, id: number): Promise<OrderRow | undefined> {
  return q.get<OrderRow>(selectOrder, [id]);
}

export interface RefillRow {
  id: bigint;
  order_id: bigint;
  user_id: bigint;
  status: 'pending' | 'in_progress' | 'completed' | 'rejected';
  created_at: bigint;
  updated_at: bigint;
}

const REFILL_COLUMNS = 'id, order_id, user_id, status, created_at, updated_at';
const selectRefill = sql(`SELECT ${REFILL_COLUMNS} FROM refills WHERE id = ?`);
const selectRefillsForOrder = sql(`SELECT ${REFILL_COLUMNS} FROM refills WHERE order_id = ? ORDER BY id`);

export function findRefill(q: Queryable, id: number): Promise<RefillRow | undefined> {
  return q.get<RefillRow>(selectRefill, [id]);
}

/** Every refill of an order, oldest first. */
export function findRefillsForOrder(q: Queryable, orderId: number): Promise<RefillRow[]> {
  return q.all<RefillRow>(selectRefillsForOrder, [orderId]);
}

export interface CancelRequestRow {
  id: bigint;
  order_id: bigint;
  user_id: bigint;
  status: 'pending' | 'done' | 'rejected';
  created_at: bigint;
  updated_at: bigint;
}

const selectCancelRequest = sql(
  'SELECT id, order_id, user_id, status, created_at, updated_at FROM cancel_requests WHERE order_id = ?',
);

/** The order's cancel request, whatever its status. */
export function findCancelRequest(q: Queryable, orderId: number): Promise<CancelRequestRow | undefined> {
  return q.get<CancelRequestRow>(selectCancelRequest, [orderId]);
}

export interface LedgerEntryRow {
  id: bigint;
  user_id: bigint;
  amount: bigint;
  kind: 'deposit' | 'charge' | 'refund' | 'adjustment';
  entry_key: string;
  order_id: bigint | null;
  memo: string | null;
  balance_after: bigint;
  created_at: bigint;
}

const selectOrderEntries = sql(
  `SELECT id, user_id, amount, kind, entry_key, order_id, memo, balance_after, created_at
   FROM ledger_entries WHERE order_id = ? ORDER BY id`,
);

/** The ledger entries of one order (its charge, its refunds), oldest first. */
export function findLedgerEntriesForOrder(q: Queryable, orderId: number): Promise<LedgerEntryRow[]> {
  return q.all<LedgerEntryRow>(selectOrderEntries, [orderId]);
}
