import { ServiceListCache, type ServiceListCacheOptions } from './app/catalog/service-list-cache.js';
import { ServiceOfferCache } from './app/orders/service-offer-cache.js';
import { ApiCallerCache } from './app/users/api-caller-cache.js';
import { ApiKeyOwnerCache, type ApiKeyOwnerCacheOptions } from './app/users/api-key-owner-cache.js';
import { DEFAULT_PAYMENT_SETTINGS, type PaymentSettings } from './app/payments/payment-settings.js';
import { DEFAULT_MAX_API_KEYS } from './app/api-keys/create-api-key.js';
import type { SecretBox } from './app/secrets/secret-box.js';
import { DEFAULT_SIGN_IN_POLICY, type SignInPolicy } from './app/challenges/challenge-policy.js';
import { type Clock, type Context, type MailSettings, systemClock } from './app/context.js';
import { RateLimiter, type RateLimiterLog } from './app/rate-limits/rate-limiter.js';
import { type UrlPolicy, systemResolver } from './app/webhooks/public-url.js';
import { ORDER_STATUSES } from './domain/order-status.js';
import { PanelMetrics } from './metrics/panel-metrics.js';
import type { Database } from './store/database.js';

export interface PanelOptions {
  readonly clock?: Clock;
  readonly currency?: string;
  /** Requests per minute per user for users without a limit of their own; 0 (the default): none. */
  readonly rateLimitPerMinute?: number;
  /** How often rate limit counts are shared with the other nodes (PostgreSQL only). */
  readonly rateLimitFlushMs?: number;
  readonly log?: RateLimiterLog;
  /** Payments: fee mode, deposit expiry, public URL (defaults: added, 24 hours, the request's host). */
  readonly payments?: PaymentSettings;
  /** Active API keys per user (SMMKIT_MAX_API_KEYS). */
  readonly maxApiKeys?: number;
  /** Seals and opens secrets at rest (SMMKIT_SECRET_KEY). */
  readonly secrets?: SecretBox;
  /** The sign-in challenge and sign-up throttle (SMMKIT_CHALLENGE, SMMKIT_SIGNUP_LIMIT); both on by default. */
  readonly signIn?: SignInPolicy;
  /** Customer URLs (webhooks) may be private addresses (SMMKIT_ALLOW_PRIVATE_URLS=1). */
  readonly allowPrivateUrls?: boolean;
  /** Email: off unless given with `enabled`. */
  readonly mail?: MailSettings;
  /** PostgreSQL: how the `services` copy hears of catalogue changes (defaults: check every 5 s). */
  readonly catalog?: ServiceListCacheOptions;
  /** PostgreSQL: how the copy of API key owners hears of key changes (defaults: dropped every 5 s too). */
  readonly apiKeyOwners?: ApiKeyOwnerCacheOptions;
}

/** The running panel: its database, clock, the caches its request paths share and its metrics. */
export class Panel {
  readonly ctx: Context;
  /** The `services` answer; on PostgreSQL, once started, dropped on each catalogue change's NOTIFY. */
  readonly serviceList: ServiceListCache;
  readonly metrics = new PanelMetrics(ORDER_STATUSES);
  /** Counts per user in this process; on PostgreSQL, shared with every node about once a second. */
  readonly rateLimiter: RateLimiter;
  /** Callers of API keys for plain `add`s on SQLite, checked again by each write (api-caller-cache.ts). */
  readonly apiCallers = new ApiCallerCache();
  /** API key owners for the owner reads on PostgreSQL, once started: dropped on each key change's NOTIFY. */
  readonly apiKeyOwners: ApiKeyOwnerCache;
  /** Offers those `add`s are priced from, checked again by each write (service-offer-cache.ts). */
  readonly serviceOffers = new ServiceOfferCache();
  readonly payments: PaymentSettings;
  readonly maxApiKeys: number;
  readonly signIn: SignInPolicy;
  /** The rule every customer-supplied URL is checked against. */
  readonly urlPolicy: UrlPolicy;

  constructor(db: Database, options: PanelOptions = {}) {
    this.ctx = {
      db,
      clock: options.clock ?? systemClock,
      actor: { kind: 'system' },
      currency: options.currency ?? 'USD',
      ...(options.secrets ? { secrets: options.secrets } : {}),
      ...(options.mail === undefined ? {} : { mail: options.mail }),
    };
    this.serviceList = new ServiceListCache(db, options.catalog);
    this.apiKeyOwners = new ApiKeyOwnerCache(db, options.apiKeyOwners);
    this.payments = options.payments ?? DEFAULT_PAYMENT_SETTINGS;
    this.maxApiKeys = options.maxApiKeys ?? DEFAULT_MAX_API_KEYS;
    this.signIn = options.signIn ?? DEFAULT_SIGN_IN_POLICY;
    this.urlPolicy = { allowPrivate: options.allowPrivateUrls ?? false, resolve: systemResolver };
    this.rateLimiter = new RateLimiter({
      clock: this.ctx.clock,
      defaultPerMinute: options.rateLimitPerMinute ?? 0,
      shared: db.dialect === 'postgres' ? db : null,
      flushIntervalMs: options.rateLimitFlushMs,
      log: options.log,
    });
  }

  /** Starts what runs beside requests: rate limit sharing and, on PostgreSQL, the copies' LISTENs. */
  start(): void {
    this.rateLimiter.start();
    this.serviceList.start();
    this.apiKeyOwners.start();
  }

  /** Reports the last rate limit counts and closes the listening connections. */
  async stop(): Promise<void> {
    await Promise.all([this.rateLimiter.stop(), this.serviceList.stop(), this.apiKeyOwners.stop()]);
  }

  contextFor(caller: { userId: number }): Context {
    return { ...this.ctx, actor: { kind: 'user', userId: caller.userId } };
  }
}
