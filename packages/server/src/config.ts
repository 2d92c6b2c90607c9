import type { MailSettings } from './app/context.js';
import type { SqliteSynchronous } from './store/sqlite-database.js';
import { type DatabaseTarget, parseDatabaseUrl } from './store/open-database.js';

/** Every setting, read from the environment once. The README lists each with its variable. */
export interface Config {
  readonly database: DatabaseTarget;
  readonly sqliteSynchronous: SqliteSynchronous;
  readonly port: number;
  readonly host: string;
  readonly currency: string;
  readonly logLevel: string;
  readonly databasePoolSize: number;
  /** How often the worker looks for work to hand out (drip-feed runs, subscription posts…). */
  readonly dispatchIntervalMs: number;
  /** How often the worker follows work in flight (expiries, providers' statuses). */
  readonly syncIntervalMs: number;
  /** API v2 requests per minute per key, unless the user has a limit of their own; 0: no limit. */
  readonly rateLimitPerMinute: number;
  /** When set, one info log line per HTTP request (with its request id); off by default: it costs throughput. */
  readonly logRequests: boolean;
  /** How long one call to a provider may take before its outcome counts as unknown. */
  readonly providerTimeoutMs: number;
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

/** Requests per minute per API key: ten a second, far above what a well-behaved script needs. */
export const DEFAULT_RATE_LIMIT = 600;

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const text = (env[name] ?? '').trim().toLowerCase();
  if (text === '' || text === '0' || text === 'false' || text === 'no') return false;
  if (text === '1' || text === 'true' || text === 'yes') return true;
  throw new ConfigError(`${name} must be 1 or 0`);
}

function mailConfig(env: NodeJS.ProcessEnv, port: number): MailConfig {
  const smtpUrl = env.SMMKIT_SMTP_URL?.trim() || null;
  if (smtpUrl !== null && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl)) {
    throw new ConfigError('SMMKIT_SMTP_URL must look like smtp://user:pass@host:587 or smtps://…');
  }
  const from = env.SMMKIT_MAIL_FROM?.trim() || 'noreply@localhost';
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(from)) {
    throw new ConfigError('SMMKIT_MAIL_FROM must be an address such as noreply@example.com');
  }
  const publicUrl = (env.SMMKIT_PUBLIC_URL?.trim() || `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s]+$/.test(publicUrl)) {
    throw new ConfigError('SMMKIT_PUBLIC_URL must be an http(s) URL such as https://panel.example.com');
  }
  const adminEmail = env.SMMKIT_ADMIN_EMAIL?.trim() || null;
  if (adminEmail !== null && !/^[^\s@<>]+@[^\s@<>]+$/.test(adminEmail)) {
    throw new ConfigError('SMMKIT_ADMIN_EMAIL must be an address such as support@example.com');
  }
  return { smtpUrl, from, publicUrl, adminEmail };
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
  return {
    database: parseDatabaseUrl(env.DATABASE_URL),
    sqliteSynchronous: synchronous,
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
    mail: mailConfig(env, port),
  };
}
