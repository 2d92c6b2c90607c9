import { formatMoney } from '../../domain/money.js';
import { orderStatusLabel, subscriptionStatusLabel } from '../../domain/order-status.js';
import { DAY_MS, countOrdersInReview } from '../../store/admin-stats.js';
import { dailyTotals } from '../../store/order-day-totals.js';
import { readOrderStatusCounts } from '../../store/order-status-counts.js';
import { countCustomers, sumBalances } from '../../store/users.js';
import type { Context } from '../context.js';
import { listProviders } from '../providers/list-providers.js';
import { recentCatalogSyncResults } from '../providers/recent-catalog-syncs.js';

export const DASHBOARD_DAYS = 14;

/** The admin's overview: the last two weeks day by day, orders by status, providers' balances. */
export async function readDashboard(ctx: Context) {
  const today = Math.floor(ctx.clock.now() / DAY_MS);
  const first = today - DASHBOARD_DAYS + 1;
  // Some aggregates scan every customer: background reads, never on the event loop.
  const q = ctx.db.background;
  const [daily, byStatus, providers, users, balances, review, catalogSyncs] = await Promise.all([
    dailyTotals(q, first * DAY_MS),
    readOrderStatusCounts(q),
    listProviders(ctx),
    countCustomers(q),
    sumBalances(q),
    countOrdersInReview(q),
    recentCatalogSyncResults(ctx),
  ]);
  const byDay = new Map(daily.map((totals) => [totals.day, totals]));
  let revenueTotal = 0n;
  let profitTotal = 0n;
  const days = Array.from({ length: DASHBOARD_DAYS }, (_, index) => {
    const day = first + index;
    const totals = byDay.get(day);
    const revenue = totals?.revenue ?? 0n;
    const cost = totals?.cost ?? 0n;
    revenueTotal += revenue;
    profitTotal += revenue - cost;
    return {
      date: new Date(day * DAY_MS).toISOString().slice(0, 10),
      orders: totals?.orders ?? 0,
      revenue: formatMoney(revenue),
      profit: formatMoney(revenue - cost),
    };
  });
  const statusCounts = new Map<string, number>();
  for (const group of byStatus) {
    const label =
      group.kind === 'subscription'
        ? `Subscription ${subscriptionStatusLabel(group.status).toLowerCase()}`
        : orderStatusLabel(group.status);
    statusCounts.set(label, (statusCounts.get(label) ?? 0) + group.count);
  }
  return {
    days,
    totals: { revenue: formatMoney(revenueTotal), profit: formatMoney(profitTotal) },
    ordersByStatus: [...statusCounts].map(([status, count]) => ({ status, count })),
    providers: providers.map((p) => ({ id: p.id, name: p.name, balance: p.balance, currency: p.currency })),
    users,
    balances: formatMoney(balances),
    review,
    catalogSyncs,
  };
}
