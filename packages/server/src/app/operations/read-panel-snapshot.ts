import { formatMoney } from '../../domain/money.js';
import type { PanelSnapshot } from '../../metrics/panel-metrics.js';
import { countOrdersByStatus } from '../../store/orders.js';
import { sumBalances } from '../../store/users.js';
import type { Context } from '../context.js';

/** The database-backed metrics, read with two aggregate queries at scrape time. */
export async function readPanelSnapshot(ctx: Context): Promise<PanelSnapshot> {
  const [ordersByStatus, balanceTotal] = await Promise.all([
    countOrdersByStatus(ctx.db),
    sumBalances(ctx.db),
  ]);
  return { ordersByStatus, balanceTotal: formatMoney(balanceTotal) };
}
