import { type Queryable, type SqlValue, dynamicSql } from './database.js';
import { ORDER_COLUMNS, type OrderRow } from './orders.js';

export interface ListedOrderRow extends OrderRow {
  service_name: string;
  service_type: string;
  service_refill: bigint;
  service_cancel: bigint;
  username: string;
  dispatch_error: string | null;
  refill_days: bigint;
  last_refill_at: bigint | null;
  open_refill: bigint;
}

export interface OrderQuery {
  /** A customer's own orders only; undefined: everyone's (admin). */
  readonly userId?: number | undefined;
  /** Stored statuses (pending, in_progress…, active…). */
  readonly statuses?: readonly string[] | undefined;
  /** An order id, or a fragment of the link. */
  readonly search?: string | undefined;
  readonly dispatchState?: string | undefined;
  readonly kind?: string | undefined;
  readonly limit: number;
  readonly offset: number;
}

const LISTED_COLUMNS = `${ORDER_COLUMNS.split(',')
  .map((c) => `o.${c.trim()}`)
  .join(', ')}, s.name AS service_name, s.type AS service_type, s.refill AS service_refill,
  s.cancel AS service_cancel, s.refill_days, u.username, o.dispatch_error,
  (SELECT MAX(r.created_at) FROM refills r WHERE r.order_id = o.id) AS last_refill_at,
  (SELECT COUNT(*) FROM refills r WHERE r.order_id = o.id AND r.status IN ('pending', 'in_progress')) AS open_refill`;

function orderConditions(query: Omit<OrderQuery, 'limit' | 'offset'>): { where: string; params: SqlValue[] } {
  // Drip-feed runs and subscription posts are shown under their parent.
  const conditions = ['o.parent_id IS NULL'];
  const params: SqlValue[] = [];
  if (query.userId !== undefined) {
    conditions.push('o.user_id = ?');
    params.push(query.userId);
  }
  if (query.statuses !== undefined && query.statuses.length > 0) {
    conditions.push(`o.status IN (${query.statuses.map(() => '?').join(', ')})`);
    params.push(...query.statuses);
  }
  if (query.kind !== undefined) {
    conditions.push('o.kind = ?');
    params.push(query.kind);
  }
  if (query.dispatchState !== undefined) {
    conditions.push('o.dispatch_state = ?');
    params.push(query.dispatchState);
  }
  const search = query.search?.trim() ?? '';
  if (search !== '') {
    const like = `%${search.replace(/[\\%_]/g, '\\$&')}%`;
    if (/^\d{1,15}$/.test(search)) {
      conditions.push("(o.id = ? OR o.link LIKE ? ESCAPE '\\')");
      params.push(Number(search), like);
    } else {
      conditions.push("o.link LIKE ? ESCAPE '\\'");
      params.push(like);
    }
  }
  return { where: `WHERE ${conditions.join(' AND ')}`, params };
}

/** Top-level orders (with their service and owner), newest first, one page. */
export function queryOrders(q: Queryable, query: OrderQuery): Promise<ListedOrderRow[]> {
  const { where, params } = orderConditions(query);
  return q.all<ListedOrderRow>(
    dynamicSql(
      `SELECT ${LISTED_COLUMNS} FROM orders o JOIN services s ON s.id = o.service_id
       JOIN users u ON u.id = o.user_id ${where} ORDER BY o.id DESC LIMIT ? OFFSET ?`,
    ),
    [...params, query.limit, query.offset],
  );
}

export async function countOrders(
  q: Queryable,
  query: Omit<OrderQuery, 'limit' | 'offset'>,
): Promise<number> {
  const { where, params } = orderConditions(query);
  const row = await q.get<{ count: bigint }>(
    dynamicSql(`SELECT COUNT(*) AS count FROM orders o ${where}`),
    params,
  );
  return Number(row?.count ?? 0n);
}

export interface ListedRefillRow {
  id: bigint;
  order_id: bigint;
  user_id: bigint;
  username: string;
  status: string;
  link: string | null;
  service_name: string;
  created_at: bigint;
  updated_at: bigint;
}

/** Refills newest first: one user's, or everyone's (admin), optionally of some statuses. */
export function queryRefills(
  q: Queryable,
  filter: { userId?: number | undefined; status?: string | undefined; limit: number; offset: number },
): Promise<ListedRefillRow[]> {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  if (filter.userId !== undefined) {
    conditions.push('r.user_id = ?');
    params.push(filter.userId);
  }
  if (filter.status !== undefined) {
    conditions.push('r.status = ?');
    params.push(filter.status);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  return q.all<ListedRefillRow>(
    dynamicSql(
      `SELECT r.id, r.order_id, r.user_id, u.username, r.status, o.link, s.name AS service_name, r.created_at,
         r.updated_at
       FROM refills r JOIN orders o ON o.id = r.order_id JOIN services s ON s.id = o.service_id
       JOIN users u ON u.id = r.user_id ${where} ORDER BY r.id DESC LIMIT ? OFFSET ?`,
    ),
    [...params, filter.limit, filter.offset],
  );
}
