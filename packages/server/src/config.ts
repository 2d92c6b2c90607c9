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
  /** Customer URLs (webhooks) may point at loopback and private addresses: tests and private deployments only. */
  readonly allowPrivateUrls: boolean;
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const synchronous = (env.SMMKIT_SQLITE_SYNCHRONOUS ?? 'full').trim().toLowerCase();
  if (synchronous !== 'full' && synchronous !== 'normal') {
    throw new ConfigError('SMMKIT_SQLITE_SYNCHRONOUS must be full or normal');
  }
  const currency = (env.SMMKIT_CURRENCY ?? 'USD').trim();
  if (!/^[A-Z]{3}$/.test(currency))
    throw new ConfigError('SMMKIT_CURRENCY must be a three-letter code such as USD');
  return {
    database: parseDatabaseUrl(env.DATABASE_URL),
    sqliteSynchronous: synchronous,
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    currency,
    logLevel: env.SMMKIT_LOG_LEVEL?.trim() || 'info',
    databasePoolSize: integer(env, 'SMMKIT_DB_POOL_SIZE', 10, 1, 1000),
    dispatchIntervalMs: integer(env, 'SMMKIT_DISPATCH_INTERVAL', 2, 1, 3600) * 1000,
    syncIntervalMs: integer(env, 'SMMKIT_SYNC_INTERVAL', 30, 1, 86_400) * 1000,
    rateLimitPerMinute: integer(env, 'SMMKIT_RATE_LIMIT', DEFAULT_RATE_LIMIT, 0, 1_000_000_000),
    logRequests: flag(env, 'SMMKIT_LOG_REQUESTS'),
    providerTimeoutMs: integer(env, 'SMMKIT_PROVIDER_TIMEOUT', 30, 1, 600) * 1000,
    allowPrivateUrls: flag(env, 'SMMKIT_ALLOW_PRIVATE_URLS'),
  };
}
