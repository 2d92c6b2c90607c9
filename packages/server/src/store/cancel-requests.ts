import { type DispatchState, HANDED_OVER_DISPATCH_STATES, readDispatchState } from '../domain/dispatch.js';
import {
  type CancelRequestStatus,
  type KindAndStatus,
  readCancelRequestStatus,
  readKindAndStatus,
} from '../domain/order-status.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, sql, sqlByDialect, sqlList } from './database.js';

/** A customer's request to cancel an order already being fulfilled (one per order). */
export interface CancelRequest {
  readonly id: number;
  readonly orderId: number;
  readonly userId: number;
  readonly status: CancelRequestStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface CancelRequestRow {
  id: bigint;
  order_id: bigint;
  user_id: bigint;
  status: string;
  created_at: bigint;
  updated_at: bigint;
}

const CANCEL_REQUEST_COLUMNS = 'id, order_id, user_id, status, created_at, updated_at';

// One request per order (UNIQUE order_id): a repeated or concurrent cancel records nothing new.
// A request about an order that is (or is being) sent to a provider is queued for forwarding.
const insertRequestSql = sql(
  `INSERT INTO cancel_requests (order_id, user_id, status, dispatch_state, dispatch_after, created_at, updated_at)
   SELECT id, ?, 'pending',
     CASE WHEN provider_id IS NOT NULL AND kind IN ('order', 'subscription')
            AND dispatch_state IN (${sqlList(HANDED_OVER_DISPATCH_STATES)}) THEN 'queued' ELSE 'manual' END,
     ?, ?, ?
   FROM orders WHERE id = ?
   ON CONFLICT DO NOTHING RETURNING id`,
);
const selectRequestSql = sql(`SELECT ${CANCEL_REQUEST_COLUMNS} FROM cancel_requests WHERE order_id = ?`);
const resolveRequestSql = sql(
  `UPDATE cancel_requests SET status = ?, updated_at = ? WHERE order_id = ? AND status = 'pending'`,
);

/** Records a pending cancel request; resolves to false when the order already has one. */
export async function insertCancelRequest(
  q: Queryable,
  request: { readonly orderId: number; readonly userId: number; readonly now: number },
): Promise<boolean> {
  const row = await q.get<{ id: bigint }>(insertRequestSql, [
    request.userId,
    request.now,
    request.now,
    request.now,
    request.orderId,
  ]);
  return row !== undefined;
}

/** The order's cancel request, whatever its status. */
export async function findCancelRequest(q: Queryable, orderId: number): Promise<CancelRequest | undefined> {
  const row = await q.get<CancelRequestRow>(selectRequestSql, [orderId]);
  return (
    row && {
      id: Number(row.id),
      orderId: Number(row.order_id),
      userId: Number(row.user_id),
      status: readCancelRequestStatus(row.status),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    }
  );
}

/** Closes the order's pending request, if it has one: done when it was canceled, rejected otherwise. */
export async function resolveCancelRequest(
  q: Queryable,
  orderId: number,
  status: 'done' | 'rejected',
  now: number,
): Promise<boolean> {
  return (await q.run(resolveRequestSql, [status, now, orderId])) === 1;
}

/** What deciding a customer's cancel needs: the order and its service's cancel flag. */
export type CancelTarget = {
  readonly id: number;
  readonly userId: number;
  readonly parentId: number | null;
  readonly dispatchState: DispatchState;
  readonly serviceCancel: boolean;
} & KindAndStatus;

interface CancelTargetRow {
  id: bigint;
  user_id: bigint;
  kind: string;
  parent_id: bigint | null;
  status: string;
  dispatch_state: string;
  service_cancel: bigint;
}

const TARGET_SELECT = `SELECT o.id, o.user_id, o.kind, o.parent_id, o.status, o.dispatch_state,
     s.cancel AS service_cancel
   FROM orders o JOIN services s ON s.id = o.service_id
   WHERE o.id = ? AND o.user_id = ?`;
const selectTargetSql = sql(TARGET_SELECT);
// The row lock serialises concurrent cancels of one order (and a worker creating its runs);
// SQLite's writes are serialised already.
const lockTargetSql = sqlByDialect({ sqlite: TARGET_SELECT, postgres: `${TARGET_SELECT} FOR UPDATE OF o` });

/** The caller's own order, or undefined: another user's order reads as one that does not exist. */
export async function findCancelTarget(
  q: Queryable,
  orderId: number,
  userId: number,
  options: { readonly lock: boolean },
): Promise<CancelTarget | undefined> {
  const row = await q.get<CancelTargetRow>(options.lock ? lockTargetSql : selectTargetSql, [orderId, userId]);
  return (
    row && {
      id: Number(row.id),
      userId: Number(row.user_id),
      ...readKindAndStatus(row.kind, row.status),
      parentId: numberOrNull(row.parent_id),
      dispatchState: readDispatchState(row.dispatch_state),
      serviceCancel: row.service_cancel === 1n,
    }
  );
}
