import type { DispatchState } from '../domain/dispatch.js';
import {
  type KindAndStatus,
  OPEN_REFILL_STATUSES,
  type OrderKind,
  readKindAndStatus,
} from '../domain/order-status.js';
import type { ServiceTypeName } from '../domain/service-types.js';
import { numberOrNull } from './column-values.js';
import {
  type Dialect,
  type Queryable,
  type SqlValue,
  dynamicSql,
  idArray,
  sql,
  sqlByDialect,
  sqlList,
} from './database.js';
import { ORDER_COLUMNS, type Order, type OrderRow, orderColumnsOf, toOrder } from './order-row.js';

export interface OrderFilter {
  /** A stored status (order or subscription). */
  readonly status?: string | undefined;
  readonly userId?: number | undefined;
  /** Only orders with a pending cancel request (the customer asked; the admin has not decided). */
  readonly cancelRequested?: boolean | undefined;
  readonly limit: number;
}

/** The owner's order listing, newest first. Filters are optional, so the SQL is built per call. */
export async function listOrders(q: Queryable, filter: OrderFilter): Promise<Order[]> {
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
  const rows = await q.all<OrderRow>(
    dynamicSql(`SELECT ${ORDER_COLUMNS} FROM orders ${where} ORDER BY id DESC LIMIT ?`),
    params,
  );
  return rows.map(toOrder);
}

const selectChildRows = sql(`SELECT ${ORDER_COLUMNS} FROM orders WHERE parent_id = ? ORDER BY id`);

/** A drip-feed's runs or a subscription's posts, whole. */
export async function listChildOrders(q: Queryable, parentId: number): Promise<Order[]> {
  return (await q.all<OrderRow>(selectChildRows, [parentId])).map(toOrder);
}

// ——— the web panel's order pages ———

/** A top-level order as the panel lists it: with its service, its owner and its refill state. */
export type OrderOverview = Order & {
  readonly serviceName: string;
  readonly serviceType: ServiceTypeName;
  readonly serviceRefill: boolean;
  readonly serviceCancel: boolean;
  readonly refillDays: number;
  readonly username: string;
  /** When the last refill of the order was requested, if any. */
  readonly lastRefillAt: number | null;
  readonly hasOpenRefill: boolean;
};

interface OrderOverviewRow extends OrderRow {
  service_name: string;
  service_type: ServiceTypeName;
  service_refill: bigint;
  service_cancel: bigint;
  refill_days: bigint;
  username: string;
  last_refill_at: bigint | null;
  open_refill: bigint;
}

function toOrderOverview(row: OrderOverviewRow): OrderOverview {
  // Object.assign, not a spread: V8 builds `{ ...order, more }` of an order's ~30 fields several
  // times slower than the query that read it (measured: ~25 µs an object on Node 20).
  return Object.assign(toOrder(row), {
    serviceName: row.service_name,
    serviceType: row.service_type,
    serviceRefill: row.service_refill === 1n,
    serviceCancel: row.service_cancel === 1n,
    refillDays: Number(row.refill_days),
    username: row.username,
    lastRefillAt: numberOrNull(row.last_refill_at),
    hasOpenRefill: row.open_refill > 0n,
  });
}

export interface OrderQuery {
  /** A customer's own orders only; undefined: everyone's (admin). */
  readonly userId?: number | undefined;
  /** Stored statuses (pending, in_progress…, active…). */
  readonly statuses?: readonly string[] | undefined;
  /** An order id, or a fragment of the link. */
  readonly search?: string | undefined;
  readonly dispatchState?: DispatchState | undefined;
  readonly kind?: OrderKind | undefined;
  readonly serviceId?: number | undefined;
  readonly providerId?: number | undefined;
  /** Created at or after / before these times (epoch ms). */
  readonly createdFrom?: number | undefined;
  readonly createdBefore?: number | undefined;
  /** A keyset page: orders with a smaller id (the list is newest first). */
  readonly beforeId?: number | undefined;
  readonly limit: number;
  readonly offset: number;
}

const OVERVIEW_COLUMNS = `${orderColumnsOf('o')}, s.name AS service_name, s.type AS service_type,
  s.refill AS service_refill, s.cancel AS service_cancel, s.refill_days, u.username,
  (SELECT MAX(r.created_at) FROM refills r WHERE r.order_id = o.id) AS last_refill_at,
  (SELECT COUNT(*) FROM refills r WHERE r.order_id = o.id AND r.status IN (${sqlList(OPEN_REFILL_STATUSES)})) AS open_refill`;

/**
 * Everyone's orders in one status, on PostgreSQL: the status is asked as a range of one value (see
 * queryOrders). Not a customer's (their (user_id, id) index reads their few orders), and not on
 * SQLite, whose planner takes the (status, id) index for `status = ?` and the range would lead astray.
 */
function readsStatusRange(query: Omit<OrderQuery, 'limit' | 'offset'>, dialect: Dialect): boolean {
  return dialect === 'postgres' && query.userId === undefined && query.statuses?.length === 1;
}

function orderConditions(
  query: Omit<OrderQuery, 'limit' | 'offset'>,
  dialect: Dialect,
): { where: string; params: SqlValue[] } {
  // Drip-feed runs and subscription posts are shown under their parent.
  const conditions = ['o.parent_id IS NULL'];
  const params: SqlValue[] = [];
  if (query.userId !== undefined) {
    conditions.push('o.user_id = ?');
    params.push(query.userId);
  }
  const statuses = query.statuses ?? [];
  if (readsStatusRange(query, dialect)) {
    conditions.push('o.status >= ? AND o.status <= ?');
    params.push(statuses[0]!, statuses[0]!);
  } else if (statuses.length > 0) {
    conditions.push(`o.status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
  }
  if (query.kind !== undefined) {
    conditions.push('o.kind = ?');
    params.push(query.kind);
  }
  if (query.dispatchState !== undefined) {
    conditions.push('o.dispatch_state = ?');
    params.push(query.dispatchState);
  }
  const exact: [string, number | undefined][] = [
    ['o.service_id = ?', query.serviceId],
    ['o.provider_id = ?', query.providerId],
    ['o.created_at >= ?', query.createdFrom],
    ['o.created_at < ?', query.createdBefore],
    ['o.id < ?', query.beforeId],
  ];
  for (const [condition, value] of exact) {
    if (value === undefined) continue;
    conditions.push(condition);
    params.push(value);
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

// A page's orders, whole, with their service, owner and refill state: a named statement, prepared
// once per connection, where the page's own (filtered, so dynamic) query is planned each time.
const selectOverviews = sqlByDialect({
  sqlite: `SELECT ${OVERVIEW_COLUMNS} FROM orders o JOIN services s ON s.id = o.service_id
           JOIN users u ON u.id = o.user_id WHERE o.id IN (SELECT value FROM json_each(?))`,
  postgres: `SELECT ${OVERVIEW_COLUMNS} FROM orders o JOIN services s ON s.id = o.service_id
             JOIN users u ON u.id = o.user_id WHERE o.id = ANY(?::bigint[])`,
});

/**
 * Top-level orders (with their service and owner), newest first, one page: the page's ids by the
 * filters, then those orders whole. In one statement, PostgreSQL planned the joins and the refill
 * subqueries on every page (1.1 of its 2.2 ms at a million orders, under load); the ids alone plan
 * in a fraction of that, and the rest is prepared once.
 *
 * A status tab of everyone's orders reads one range of the (status, id) index, newest first, at any depth. Asked for
 * `status = ?` ordered by id, PostgreSQL's planner walked the primary key backwards instead,
 * filtering by status: it assumes statuses spread evenly over ids, while the newest orders are the
 * ones still pending or in progress, so a "Completed" page read ~15,000 rows (13–19 ms at ten million
 * orders). As a range of one value ordered by (status, id) (an equality would make the status a
 * constant the planner drops from the order), which only that index gives in order, it reads 25
 * index entries (0.5 ms). Same rows, same order.
 */
export async function queryOrders(q: Queryable, query: OrderQuery): Promise<OrderOverview[]> {
  const { where, params } = orderConditions(query, q.dialect);
  const order = readsStatusRange(query, q.dialect) ? 'o.status DESC, o.id DESC' : 'o.id DESC';
  const page = await q.all<{ id: bigint }>(
    dynamicSql(`SELECT o.id FROM orders o ${where} ORDER BY ${order} LIMIT ? OFFSET ?`),
    [...params, query.limit, query.offset],
  );
  if (page.length === 0) return [];
  const rows = await q.all<OrderOverviewRow>(selectOverviews, [
    idArray(
      q,
      page.map((row) => Number(row.id)),
    ),
  ]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  // In the page's order; an order gone between the two reads is left out.
  const overviews: OrderOverview[] = [];
  for (const { id } of page) {
    const row = byId.get(id);
    if (row !== undefined) overviews.push(toOrderOverview(row));
  }
  return overviews;
}

export async function countOrders(
  q: Queryable,
  query: Omit<OrderQuery, 'limit' | 'offset'>,
): Promise<number> {
  const { where, params } = orderConditions(query, q.dialect);
  const row = await q.get<{ count: bigint }>(
    dynamicSql(`SELECT COUNT(*) AS count FROM orders o ${where}`),
    params,
  );
  return Number(row?.count ?? 0n);
}

/** How many top-level orders (matching the query but its statuses) are in each kind and stored status. */
export async function countOrdersByStatus(
  q: Queryable,
  query: Omit<OrderQuery, 'limit' | 'offset' | 'statuses'>,
): Promise<(KindAndStatus & { readonly count: number })[]> {
  const { where, params } = orderConditions(query, q.dialect);
  const rows = await q.all<{ kind: string; status: string; count: bigint }>(
    dynamicSql(`SELECT o.kind, o.status, COUNT(*) AS count FROM orders o ${where} GROUP BY o.kind, o.status`),
    params,
  );
  return rows.map((row) => ({ ...readKindAndStatus(row.kind, row.status), count: Number(row.count) }));
}
