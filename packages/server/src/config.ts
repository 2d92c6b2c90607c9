import { DEFAULT_DEPOSIT_EXPIRY_MINUTES, type PaymentSettings } from './app/payments/payment-settings.js';
import { DEFAULT_MAX_API_KEYS } from './app/api-keys/create-api-key.js';
import { SecretBox, parseSecretKey } from './app/secrets/secret-box.js';
import { type ConnectionLimits, DEFAULT_CONNECTION_LIMITS } from './http/connection-limits.js';
import { type TrustProxy, parseTrustProxy } from './http/trust-proxy.js';
import type { MailSettings } from './app/context.js';
import type { SqliteSynchronous } from './store/sqlite-database.js';
import { type DatabaseTarget, parseDatabaseUrl } from './store/open-database.js';

/** Every setting, read from the environment once. The README lists each with its variable. */
export interface Config {
  readonly database: DatabaseTarget;
  readonly sqliteSynchronous: SqliteSynchronous;
  /** SQLite, long-running processes: batches of plain `add`s written on a thread of their own (SMMKIT_SQLITE_WRITE_THREAD, default on). */
  readonly sqliteWriteThread: boolean;
  /** SQLite: each commit's WAL frames written with a few writes, not two a frame (SMMKIT_SQLITE_WAL_COMBINE, default on). */
  readonly sqliteWalCombine: boolean;
  readonly port: number;
  readonly host: string;
  readonly currency: string;
  readonly logLevel: string;
  readonly databasePoolSize: number;
  /** How often the worker looks for work to hand out (drip-feed runs, subscription posts…). */
  readonly dispatchIntervalMs: number;
  /** How often the worker follows work in flight (expiries, providers' statuses). */
  readonly syncIntervalMs: number;
  /** Requests per minute per user (all keys and web ordering), unless the user has a limit of their own; 0: no limit. */
  readonly rateLimitPerMinute: number;
  /** When set, one info log line per HTTP request (with its request id); off by default: it costs throughput. */
  readonly logRequests: boolean;
  /** How long one call to a provider may take before its outcome counts as unknown. */
  readonly providerTimeoutMs: number;
  /** Payments: fee mode, deposit expiry, the public URL given to gateways (see README › Payments). */
  readonly payments: PaymentSettings;
  /** SMMKIT_METRICS_TOKEN: when set, /metrics requires `Authorization: Bearer <token>`. */
  readonly metricsToken: string | null;
  /** SMMKIT_TRUST_PROXY: whose X-Forwarded-For/-Proto to believe (none by default). */
  readonly trustProxy: TrustProxy;
  /** SMMKIT_HEADERS_TIMEOUT, SMMKIT_REQUEST_TIMEOUT, SMMKIT_KEEP_ALIVE_TIMEOUT (seconds), SMMKIT_MAX_CONNECTIONS. */
  readonly connectionLimits: ConnectionLimits;
  /** SMMKIT_MAX_API_KEYS: active API keys per user. */
  readonly maxApiKeys: number;
  /** SMMKIT_SECRET_KEY (and SMMKIT_PREVIOUS_SECRET_KEY while rotating): seals secrets at rest. */
  readonly secrets: SecretBox;
  /** Proof-of-work challenge for sign-up and repeated failed logins (SMMKIT_CHALLENGE=off turns it off). */
  readonly challenge: boolean;
  /** Sign-ups per client address per hour; 0: no limit. */
  readonly signUpLimitPerHour: number;
  /** Customer URLs (webhooks) may point at loopback and private addresses: tests and private deployments only. */
  readonly allowPrivateUrls: boolean;
  /** Email: off (nothing queued) without SMMKIT_SMTP_URL. */
  readonly mail: MailConfig;
}

export interface MailConfig {
  /** `smtp://user:pass@host:port` or `smtps://…`; null: email is off. */
  readonly smtpUrl: string | null;
  /** The sender address (SMMKIT_MAIL_FROM); the panel's name is its display name. */
  readonly from: string;
  /** The base of every link in a message, without a trailing slash (SMMKIT_PUBLIC_URL). */
  readonly publicUrl: string;
  /** Where new tickets are announced (SMMKIT_ADMIN_EMAIL); null: nowhere. */
  readonly adminEmail: string | null;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max}`);
  }
  return value;
}

/** Requests per minute per user: ten a second, far above what a well-behaved script needs. */
export const DEFAULT_RATE_LIMIT = 600;

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const text = (env[name] ?? '').trim().toLowerCase();
  if (text === '' || text === '0' || text === 'false' || text === 'no') return false;
  if (text === '1' || text === 'true' || text === 'yes') return true;
  throw new ConfigError(`${name} must be 1 or 0`);
}

function metricsToken(env: NodeJS.ProcessEnv): string | null {
  const token = env.SMMKIT_METRICS_TOKEN?.trim() ?? '';
  if (token === '') return null;
  if (!/^[\x21-\x7e]{16,512}$/.test(token))
    throw new ConfigError('SMMKIT_METRICS_TOKEN must be 16 to 512 visible ASCII characters, no spaces');
  return token;
}

function secretKey(env: NodeJS.ProcessEnv, name: string): Buffer | null {
  const text = env[name]?.trim() ?? '';
  if (text === '') return null;
  try {
    return parseSecretKey(text);
  } catch (error) {
    throw new ConfigError(`${name} ${(error as Error).message}`);
  }
}

function secretBox(env: NodeJS.ProcessEnv): SecretBox {
  const previous = secretKey(env, 'SMMKIT_PREVIOUS_SECRET_KEY');
  return new SecretBox(secretKey(env, 'SMMKIT_SECRET_KEY'), previous === null ? [] : [previous]);
}

function trustProxy(env: NodeJS.ProcessEnv): TrustProxy {
  try {
    return parseTrustProxy(env.SMMKIT_TRUST_PROXY);
  } catch (error) {
    throw new ConfigError(`SMMKIT_TRUST_PROXY: ${(error as Error).message}`);
  }
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = (env[name] ?? '').trim().toLowerCase();
  if (text === '') return fallback;
  if (text === 'on' || text === '1' || text === 'true' || text === 'yes') return true;
  if (text === 'off' || text === '0' || text === 'false' || text === 'no') return false;
  throw new ConfigError(`${name} must be on or off`);
}

/**
 * SMMKIT_PUBLIC_URL, read and checked once: the panel's address as browsers and gateways reach it,
 * without a trailing slash; null when unset. Payments and email both take this one value.
 */
function publicUrlOf(env: NodeJS.ProcessEnv): string | null {
  const publicUrl = (env.SMMKIT_PUBLIC_URL ?? '').trim().replace(/\/+$/, '');
  if (publicUrl === '') return null;
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(publicUrl))
    throw new ConfigError('SMMKIT_PUBLIC_URL must be an http(s) URL such as https://panel.example.com');
  return publicUrl;
}

function mailConfig(env: NodeJS.ProcessEnv, port: number, publicUrl: string | null): MailConfig {
  const smtpUrl = env.SMMKIT_SMTP_URL?.trim() || null;
  if (smtpUrl !== null && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl)) {
    throw new ConfigError('SMMKIT_SMTP_URL must look like smtp://user:pass@host:587 or smtps://…');
  }
  const from = env.SMMKIT_MAIL_FROM?.trim() || 'noreply@localhost';
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(from)) {
    throw new ConfigError('SMMKIT_MAIL_FROM must be an address such as noreply@example.com');
  }
  const adminEmail = env.SMMKIT_ADMIN_EMAIL?.trim() || null;
  if (adminEmail !== null && !/^[^\s@<>]+@[^\s@<>]+$/.test(adminEmail)) {
    throw new ConfigError('SMMKIT_ADMIN_EMAIL must be an address such as support@example.com');
  }
  // Without SMMKIT_PUBLIC_URL, links point at this process's own port.
  return { smtpUrl, from, publicUrl: publicUrl ?? `http://127.0.0.1:${port}`, adminEmail };
}

/** Email as the use cases see it. */
export function mailSettingsOf(config: Pick<Config, 'mail'>): MailSettings {
  return {
    enabled: config.mail.smtpUrl !== null,
    publicUrl: config.mail.publicUrl,
    adminEmail: config.mail.adminEmail,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const synchronous = (env.SMMKIT_SQLITE_SYNCHRONOUS ?? 'full').trim().toLowerCase();
  if (synchronous !== 'full' && synchronous !== 'normal') {
    throw new ConfigError('SMMKIT_SQLITE_SYNCHRONOUS must be full or normal');
  }
  const currency = (env.SMMKIT_CURRENCY ?? 'USD').trim();
  if (!/^[A-Z]{3}$/.test(currency))
    throw new ConfigError('SMMKIT_CURRENCY must be a three-letter code such as USD');
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const publicUrl = publicUrlOf(env);
  return {
    database: parseDatabaseUrl(env.DATABASE_URL),
    sqliteSynchronous: synchronous,
    sqliteWriteThread: onOff(env, 'SMMKIT_SQLITE_WRITE_THREAD', true),
    sqliteWalCombine: onOff(env, 'SMMKIT_SQLITE_WAL_COMBINE', true),
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    currency,
    logLevel: env.SMMKIT_LOG_LEVEL?.trim() || 'info',
    databasePoolSize: integer(env, 'SMMKIT_DB_POOL_SIZE', 10, 1, 1000),
    dispatchIntervalMs: integer(env, 'SMMKIT_DISPATCH_INTERVAL', 2, 1, 3600) * 1000,
    syncIntervalMs: integer(env, 'SMMKIT_SYNC_INTERVAL', 30, 1, 86_400) * 1000,
    rateLimitPerMinute: integer(env, 'SMMKIT_RATE_LIMIT', DEFAULT_RATE_LIMIT, 0, 1_000_000_000),
    logRequests: flag(env, 'SMMKIT_LOG_REQUESTS'),
    providerTimeoutMs: integer(env, 'SMMKIT_PROVIDER_TIMEOUT', 30, 1, 600) * 1000,
    payments: paymentSettings(env, publicUrl),
    metricsToken: metricsToken(env),
    trustProxy: trustProxy(env),
    secrets: secretBox(env),
    maxApiKeys: integer(env, 'SMMKIT_MAX_API_KEYS', DEFAULT_MAX_API_KEYS, 1, 1000),
    connectionLimits: {
      headersTimeoutMs:
        integer(env, 'SMMKIT_HEADERS_TIMEOUT', DEFAULT_CONNECTION_LIMITS.headersTimeoutMs / 1000, 1, 600) *
        1000,
      requestTimeoutMs:
        integer(env, 'SMMKIT_REQUEST_TIMEOUT', DEFAULT_CONNECTION_LIMITS.requestTimeoutMs / 1000, 1, 3600) *
        1000,
      keepAliveTimeoutMs:
        integer(
          env,
          'SMMKIT_KEEP_ALIVE_TIMEOUT',
          DEFAULT_CONNECTION_LIMITS.keepAliveTimeoutMs / 1000,
          1,
          600,
        ) * 1000,
      maxConnections: integer(
        env,
        'SMMKIT_MAX_CONNECTIONS',
        DEFAULT_CONNECTION_LIMITS.maxConnections,
        1,
        1_000_000,
      ),
    },
    challenge: onOff(env, 'SMMKIT_CHALLENGE', true),
    signUpLimitPerHour: integer(env, 'SMMKIT_SIGNUP_LIMIT', 20, 0, 1_000_000),
    allowPrivateUrls: flag(env, 'SMMKIT_ALLOW_PRIVATE_URLS'),
    mail: mailConfig(env, port, publicUrl),
  };
}

function paymentSettings(env: NodeJS.ProcessEnv, publicUrl: string | null): PaymentSettings {
  const feeMode = (env.SMMKIT_PAYMENT_FEE_MODE ?? 'added').trim().toLowerCase() || 'added';
  if (feeMode !== 'added' && feeMode !== 'absorbed')
    throw new ConfigError('SMMKIT_PAYMENT_FEE_MODE must be added or absorbed');
  const expiryMinutes = integer(env, 'SMMKIT_DEPOSIT_EXPIRY', DEFAULT_DEPOSIT_EXPIRY_MINUTES, 1, 525_600);
  return { feeMode, depositExpiryMs: expiryMinutes * 60_000, publicUrl };
}
