import { formatMoney } from '../../domain/money.js';
import { readLedgerKindTotals } from '../../store/ledger-kind-totals.js';
import { countOrdersByStoredStatus } from '../../store/order-status-counts.js';
import { countQueuedWork, findOldestDueSync } from '../../store/panel-stats.js';
import { sumBalances } from '../../store/users.js';
import type { Context } from '../context.js';

/** What the database says at scrape time. */
export interface PanelSnapshot {
  readonly ordersByStatus: ReadonlyMap<string, number>;
  /** Sum of user balances, an exact decimal of the panel currency. */
  readonly balanceTotal: string;
  /** Work waiting for the worker to send it to providers. */
  readonly queueDepth: { readonly orders: number; readonly refills: number; readonly cancelRequests: number };
  readonly ordersAwaitingReview: number;
  /** How late the oldest due provider sync is, in seconds; 0 when none is due. */
  readonly syncLagSeconds: number;
  /** Sum of ledger amounts per entry kind, exact decimals (charges are negative). */
  readonly ledgerTotals: ReadonlyMap<string, string>;
}

/**
 * The database-backed metrics, read with a few aggregate queries at scrape time. The order counts
 * and the ledger by kind are kept totals (a scan of every order and entry took 33 s at ten million
 * orders); the balance total still reads every user. Background reads: never on the event loop
 * that answers the API.
 */
export async function readPanelSnapshot(ctx: Context): Promise<PanelSnapshot> {
  const now = ctx.clock.now();
  const q = ctx.db.background;
  const [ordersByStatus, balanceTotal, queued, oldestDueSync, ledger] = await Promise.all([
    countOrdersByStoredStatus(q),
    sumBalances(q),
    countQueuedWork(q),
    findOldestDueSync(q, now),
    readLedgerKindTotals(q),
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
