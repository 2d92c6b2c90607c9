import { type OrderStatus, readOrderStatus } from '../domain/order-status.js';
import { AVERAGE_TIME_SAMPLE, type CompletedSample } from '../domain/delivery-stats.js';
import { numberOrNull } from './column-values.js';
import { type Queryable, sql, sqlByDialect } from './database.js';

/** What the delivery statistics group orders by: the service ordered, or the provider holding the order. */
export type DeliveryGrouping = 'service' | 'provider';

/** Orders placed since a time, for one service or provider, and how they stand now. */
export interface DeliveryCounts {
  readonly id: number;
  readonly orders: number;
  readonly completed: number;
  readonly partial: number;
  readonly canceled: number;
  readonly refunded: bigint;
}

interface CountsRow {
  id: bigint;
  orders: bigint;
  completed: bigint;
  partial: bigint;
  canceled: bigint;
  refunded: bigint;
}

const COLUMN: Record<DeliveryGrouping, string> = { service: 'service_id', provider: 'provider_id' };

// Deliveries are rows of kind 'order' (ordinary orders, drip-feed runs, subscription posts); refunds
// are summed over every row, as a drip-feed's refund is its parent's.
const countsSql = (column: string) =>
  sql(`SELECT ${column} AS id,
     SUM(CASE WHEN kind = 'order' THEN 1 ELSE 0 END) AS orders,
     SUM(CASE WHEN kind = 'order' AND status = 'completed' THEN 1 ELSE 0 END) AS completed,
     SUM(CASE WHEN kind = 'order' AND status = 'partial' THEN 1 ELSE 0 END) AS partial,
     SUM(CASE WHEN kind = 'order' AND status = 'canceled' THEN 1 ELSE 0 END) AS canceled,
     CAST(COALESCE(SUM(refunded), 0) AS BIGINT) AS refunded
   FROM orders WHERE created_at >= ? AND ${column} IS NOT NULL GROUP BY ${column}`);
const refillsSql = (column: string) =>
  sql(`SELECT o.${column} AS id, COUNT(*) AS refills FROM refills r JOIN orders o ON o.id = r.order_id
   WHERE r.created_at >= ? AND o.${column} IS NOT NULL GROUP BY o.${column}`);

const COUNTS = { service: countsSql(COLUMN.service), provider: countsSql(COLUMN.provider) };
const REFILLS = { service: refillsSql(COLUMN.service), provider: refillsSql(COLUMN.provider) };

export async function deliveryCountsSince(
  q: Queryable,
  by: DeliveryGrouping,
  since: number,
): Promise<DeliveryCounts[]> {
  const rows = await q.all<CountsRow>(COUNTS[by], [since]);
  return rows.map((row) => ({
    id: Number(row.id),
    orders: Number(row.orders),
    completed: Number(row.completed),
    partial: Number(row.partial),
    canceled: Number(row.canceled),
    refunded: row.refunded,
  }));
}

/** Refills requested since a time, by service or provider id. */
export async function refillsRequestedSince(
  q: Queryable,
  by: DeliveryGrouping,
  since: number,
): Promise<Map<number, number>> {
  const rows = await q.all<{ id: bigint; refills: bigint }>(REFILLS[by], [since]);
  return new Map(rows.map((row) => [Number(row.id), Number(row.refills)]));
}

// The latest completed deliveries of each service (provider), newest first: one short index walk
// each (the partial indexes of migration 0017), a LATERAL join on PostgreSQL, a rowid IN list on SQLite.
const latest = (columns: string, column: string) => `SELECT ${columns} FROM orders o2
     WHERE o2.${column} = g.id AND o2.status = 'completed' AND o2.kind = 'order' AND o2.completed_at IS NOT NULL
     ORDER BY o2.completed_at DESC, o2.id DESC LIMIT ${AVERAGE_TIME_SAMPLE}`;
const samplesSql = (table: string, column: string) =>
  sqlByDialect({
    sqlite: `SELECT g.id AS id, o.created_at, o.completed_at, o.quantity
     FROM ${table} g JOIN orders o ON o.id IN (${latest('o2.id', column)})
     ORDER BY g.id, o.completed_at DESC, o.id DESC`,
    postgres: `SELECT g.id AS id, o.created_at, o.completed_at, o.quantity
     FROM ${table} g CROSS JOIN LATERAL (${latest('o2.id, o2.created_at, o2.completed_at, o2.quantity', column)}) o
     ORDER BY g.id, o.completed_at DESC, o.id DESC`,
  });
const SAMPLES = {
  service: samplesSql('services', COLUMN.service),
  provider: samplesSql('providers', COLUMN.provider),
};

/** Each service's (provider's) latest completed deliveries, newest first, at most AVERAGE_TIME_SAMPLE. */
export async function latestCompletedSamples(
  q: Queryable,
  by: DeliveryGrouping,
): Promise<Map<number, CompletedSample[]>> {
  const rows = await q.all<{ id: bigint; created_at: bigint; completed_at: bigint; quantity: bigint }>(
    SAMPLES[by],
  );
  const samples = new Map<number, CompletedSample[]>();
  for (const row of rows) {
    const id = Number(row.id);
    let list = samples.get(id);
    if (!list) samples.set(id, (list = []));
    list.push({
      createdAt: Number(row.created_at),
      completedAt: Number(row.completed_at),
      quantity: Number(row.quantity),
    });
  }
  return samples;
}

/** A delivery still under way. */
export interface WaitingOrder {
  readonly id: number;
  readonly serviceId: number;
  readonly providerId: number | null;
  readonly status: OrderStatus;
  readonly quantity: number;
  readonly createdAt: number;
}

const waitingSql = sql(
  `SELECT id, service_id, provider_id, status, quantity, created_at FROM orders
   WHERE service_id = ? AND kind = 'order' AND status IN ('pending', 'in_progress', 'processing')
     AND (? - created_at) * 1000 > ? * quantity
   ORDER BY created_at, id LIMIT ?`,
);

/**
 * A service's deliveries under way that have waited longer than `msPer1000` per 1000 units
 * (scaled to each one's quantity), oldest first.
 */
export async function ordersWaitingLonger(
  q: Queryable,
  query: { serviceId: number; msPer1000: bigint; now: number; limit: number },
): Promise<WaitingOrder[]> {
  const rows = await q.all<{
    id: bigint;
    service_id: bigint;
    provider_id: bigint | null;
    status: string;
    quantity: bigint;
    created_at: bigint;
  }>(waitingSql, [query.serviceId, query.now, query.msPer1000, query.limit]);
  return rows.map((row) => ({
    id: Number(row.id),
    serviceId: Number(row.service_id),
    providerId: numberOrNull(row.provider_id),
    status: readOrderStatus(row.status),
    quantity: Number(row.quantity),
    createdAt: Number(row.created_at),
  }));
}
