import { type Queryable, type SqlValue, dynamicSql, sql } from './database.js';
import { ORDER_COLUMNS, type OrderRow } from './orders.js';

export interface OrderFilter {
  readonly status?: string | undefined;
  readonly userId?: number | undefined;
  /** Only orders with a pending cancel request (the customer asked; the admin has not decided). */
  readonly cancelRequested?: boolean | undefined;
  readonly limit: number;
}

/** The owner's order listing, newest first. Filters are optional, so the SQL is built per call. */
export function listOrders(q: Queryable, filter: OrderFilter): Promise<OrderRow[]> {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  if (filter.status !== undefined) {
    conditions.push('status = ?');
    params.push(filter.status);
  }
  if (filter.userId !== undefined) {
    conditions.push('user_id = ?');
    params.push(filter.userId);
  }
  if (filter.cancelRequested === true) {
    conditions.push(
      `EXISTS (SELECT 1 FROM cancel_requests c WHERE c.order_id = orders.id AND c.status = 'pending')`,
    );
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  params.push(filter.limit);
  return q.all<OrderRow>(
    dynamicSql(`SELECT ${ORDER_COLUMNS} FROM orders ${where} ORDER BY id DESC LIMIT ?`),
    params,
  );
}

const selectChildRows = sql(`SELECT ${ORDER_COLUMNS} FROM orders WHERE parent_id = ? ORDER BY id`);

/** A drip-feed's runs or a subscription's posts, whole. */
export function listChildOrders(q: Queryable, parentId: number): Promise<OrderRow[]> {
  return q.all<OrderRow>(selectChildRows, [parentId]);
}
