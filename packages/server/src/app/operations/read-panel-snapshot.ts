import { formatMoney } from '../../domain/money.js';
import type { PanelSnapshot } from '../../metrics/panel-metrics.js';
import { countOrdersByStatus } from '../../store/orders.js';
import { countQueuedWork, findOldestDueSync, sumLedgerByKind } from '../../store/panel-stats.js';
import { sumBalances } from '../../store/users.js';
import type { Context } from '../context.js';

/** The database-backed metrics, read with a few aggregate queries at scrape time. */
export async function readPanelSnapshot(ctx: Context): Promise<PanelSnapshot> {
  const now = ctx.clock.now();
  const [ordersByStatus, balanceTotal, queued, oldestDueSync, ledger] = await Promise.all([
    countOrdersByStatus(ctx.db),
    sumBalances(ctx.db),
    countQueuedWork(ctx.db),
    findOldestDueSync(ctx.db, now),
    sumLedgerByKind(ctx.db),
  ]);
  return {
    ordersByStatus,
    balanceTotal: formatMoney(balanceTotal),
    queueDepth: { orders: queued.orders, refills: queued.refills, cancelRequests: queued.cancels },
    ordersAwaitingReview: queued.review,
    syncLagSeconds: oldestDueSync === null ? 0 : (now - oldestDueSync) / 1000,
    ledgerTotals: new Map([...ledger].map(([kind, total]) => [kind, formatMoney(total)])),
  };
}
