import { ServiceListCache } from './app/catalog/service-list-cache.js';
import { type Clock, type Context, systemClock } from './app/context.js';
import { ORDER_STATUSES } from './domain/order-status.js';
import { PanelMetrics } from './metrics/panel-metrics.js';
import type { Database } from './store/database.js';

/** The running panel: its database, clock, the caches its request paths share and its metrics. */
export class Panel {
  readonly ctx: Context;
  readonly serviceList = new ServiceListCache();
  readonly metrics = new PanelMetrics(ORDER_STATUSES);

  constructor(db: Database, options: { clock?: Clock; currency?: string } = {}) {
    this.ctx = {
      db,
      clock: options.clock ?? systemClock,
      actor: { kind: 'system' },
      currency: options.currency ?? 'USD',
    };
  }

  contextFor(caller: { userId: number }): Context {
    return { ...this.ctx, actor: { kind: 'user', userId: caller.userId } };
  }
}
