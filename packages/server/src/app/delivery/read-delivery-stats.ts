import { isStuck, stuckAfterMsPer1000 } from '../../domain/delivery-stats.js';
import { formatMoney } from '../../domain/money.js';
import { orderStatusLabel } from '../../domain/order-status.js';
import { DAY_MS } from '../../store/admin-stats.js';
import {
  type DeliveryCounts,
  type DeliveryGrouping,
  deliveryCountsSince,
  ordersWaitingLonger,
  refillsRequestedSince,
} from '../../store/delivery-stats.js';
import { listProviders } from '../../store/providers.js';
import { listAllServices } from '../../store/services.js';
import type { Context } from '../context.js';
import { averageSeconds, averageTimes } from './average-times.js';

/** Stuck orders listed at most, per service and in all. */
const STUCK_LIMIT = 200;

async function windowFigures(ctx: Context, by: DeliveryGrouping, days: number) {
  const since = ctx.clock.now() - days * DAY_MS;
  const [counts, refills] = await Promise.all([
    deliveryCountsSince(ctx.db, by, since),
    refillsRequestedSince(ctx.db, by, since),
  ]);
  const byId = new Map<number, DeliveryCounts>(counts.map((row) => [row.id, row]));
  return (id: number) => {
    const row = byId.get(id);
    return {
      orders: row?.orders ?? 0,
      completed: row?.completed ?? 0,
      partial: row?.partial ?? 0,
      canceled: row?.canceled ?? 0,
      refunded: formatMoney(row?.refunded ?? 0n),
      refills: refills.get(id) ?? 0,
    };
  };
}

async function rowsBy(ctx: Context, by: DeliveryGrouping, names: readonly { id: number; name: string }[]) {
  const [averages, last7, last30] = await Promise.all([
    averageTimes(ctx, by),
    windowFigures(ctx, by, 7),
    windowFigures(ctx, by, 30),
  ]);
  return {
    averages,
    rows: names.map(({ id, name }) => ({
      id,
      name,
      averageTimeSeconds: averageSeconds(averages.get(id)),
      last7: last7(id),
      last30: last30(id),
    })),
  };
}

/**
 * The admin's Delivery page: per service and per provider, orders of the last 7 and 30 days and
 * how they ended, refunds, refills and the average time; and the orders in progress for more than
 * three times their service's average time (scaled to their quantity), oldest first.
 */
export async function readDeliveryStats(ctx: Context) {
  const [services, providers] = await Promise.all([listAllServices(ctx.db), listProviders(ctx.db)]);
  const [byService, byProvider] = await Promise.all([
    rowsBy(ctx, 'service', services),
    rowsBy(ctx, 'provider', providers),
  ]);
  const now = ctx.clock.now();
  const names = new Map(services.map((service) => [service.id, service.name]));
  const stuck = [];
  for (const [serviceId, averageMs] of byService.averages) {
    const waiting = await ordersWaitingLonger(ctx.db, {
      serviceId,
      msPer1000: stuckAfterMsPer1000(averageMs),
      now,
      limit: STUCK_LIMIT,
    });
    for (const order of waiting.filter((candidate) => isStuck(candidate, averageMs, now))) {
      stuck.push({
        id: order.id,
        serviceId,
        serviceName: names.get(serviceId) ?? '',
        providerId: order.providerId,
        status: orderStatusLabel(order.status),
        quantity: order.quantity,
        createdAt: new Date(order.createdAt).toISOString(),
        waitedSeconds: Math.floor((now - order.createdAt) / 1000),
        expectedSeconds: Math.floor((averageMs * order.quantity) / 1000 / 1000),
      });
    }
  }
  stuck.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  return { services: byService.rows, providers: byProvider.rows, stuck: stuck.slice(0, STUCK_LIMIT) };
}
