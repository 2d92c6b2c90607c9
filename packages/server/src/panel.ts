import { ServiceListCache } from './app/catalog/service-list-cache.js';
import { type Clock, type Context, type MailSettings, systemClock } from './app/context.js';
import { RateLimiter, type RateLimiterLog } from './app/rate-limits/rate-limiter.js';
import { ORDER_STATUSES } from './domain/order-status.js';
import { PanelMetrics } from './metrics/panel-metrics.js';
import type { Database } from './store/database.js';

export interface PanelOptions {
  readonly clock?: Clock;
  readonly currency?: string;
  /** API v2 requests per minute per key for users without a limit of their own; 0 (the default): none. */
  readonly rateLimitPerMinute?: number;
  /** How often rate limit counts are shared with the other nodes (PostgreSQL only). */
  readonly rateLimitFlushMs?: number;
  readonly log?: RateLimiterLog;
  /** Email: off unless given with `enabled`. */
  readonly mail?: MailSettings;
}

/** The running panel: its database, clock, the caches its request paths share and its metrics. */
export class Panel {
  readonly ctx: Context;
  readonly serviceList = new ServiceListCache();
  readonly metrics = new PanelMetrics(ORDER_STATUSES);
  /** Counts per key in this process; on PostgreSQL, shared with every node about once a second. */
  readonly rateLimiter: RateLimiter;

  constructor(db: Database, options: PanelOptions = {}) {
    this.ctx = {
      db,
      clock: options.clock ?? systemClock,
      actor: { kind: 'system' },
      currency: options.currency ?? 'USD',
      ...(options.mail === undefined ? {} : { mail: options.mail }),
    };
    this.rateLimiter = new RateLimiter({
      clock: this.ctx.clock,
      defaultPerMinute: options.rateLimitPerMinute ?? 0,
      shared: db.dialect === 'postgres' ? db : null,
      flushIntervalMs: options.rateLimitFlushMs,
      log: options.log,
    });
  }

  contextFor(caller: { userId: number }): Context {
    return { ...this.ctx, actor: { kind: 'user', userId: caller.userId } };
  }
}
