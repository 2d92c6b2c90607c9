import { describe, expect, it } from 'vitest';
import { SecretBox } from './app/secrets/secret-box.js';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      database: { dialect: 'sqlite', filename: expect.stringMatching(/\/data\/smmkit\.db$/) },
      sqliteSynchronous: 'full',
      sqliteWriteThread: true,
      sqliteWalCombine: true,
      port: 8080,
      host: '127.0.0.1',
      currency: 'USD',
      logLevel: 'info',
      databasePoolSize: 10,
      dispatchIntervalMs: 2000,
      syncIntervalMs: 30_000,
      providerTimeoutMs: 30_000,
      rateLimitPerMinute: 600,
      logRequests: false,
      payments: { feeMode: 'added', depositExpiryMs: 24 * 60 * 60_000, publicUrl: null },
      challenge: true,
      signUpLimitPerHour: 20,
      allowPrivateUrls: false,
    });
  });

  it('refuses bad payment settings with a clear error', () => {
    expect(() => loadConfig({ SMMKIT_PAYMENT_FEE_MODE: 'split' })).toThrow(
      'SMMKIT_PAYMENT_FEE_MODE must be added or absorbed',
    );
    expect(() => loadConfig({ SMMKIT_PUBLIC_URL: 'panel.example.com' })).toThrow(/SMMKIT_PUBLIC_URL/);
    expect(() => loadConfig({ SMMKIT_DEPOSIT_EXPIRY: '0' })).toThrow(/SMMKIT_DEPOSIT_EXPIRY/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/panel',
      SMMKIT_SQLITE_SYNCHRONOUS: 'NORMAL',
      SMMKIT_SQLITE_WRITE_THREAD: 'off',
      SMMKIT_SQLITE_WAL_COMBINE: 'off',
      PORT: '9000',
      HOST: '0.0.0.0',
      SMMKIT_CURRENCY: 'EUR',
      SMMKIT_LOG_LEVEL: 'warn',
      SMMKIT_DB_POOL_SIZE: '25',
      SMMKIT_DISPATCH_INTERVAL: '5',
      SMMKIT_SYNC_INTERVAL: '120',
      SMMKIT_PROVIDER_TIMEOUT: '7',
      SMMKIT_RATE_LIMIT: '0',
      SMMKIT_LOG_REQUESTS: '1',
      SMMKIT_PAYMENT_FEE_MODE: 'absorbed',
      SMMKIT_DEPOSIT_EXPIRY: '90',
      SMMKIT_PUBLIC_URL: 'https://panel.example.com/',
      SMMKIT_CHALLENGE: 'off',
      SMMKIT_SIGNUP_LIMIT: '0',
      SMMKIT_ALLOW_PRIVATE_URLS: '1',
    });
    expect(config).toEqual({
      database: { dialect: 'postgres', connectionString: 'postgres://u:p@db:5432/panel' },
      sqliteSynchronous: 'normal',
      sqliteWriteThread: false,
      sqliteWalCombine: false,
      port: 9000,
      host: '0.0.0.0',
      currency: 'EUR',
      logLevel: 'warn',
      databasePoolSize: 25,
      dispatchIntervalMs: 5000,
      syncIntervalMs: 120_000,
      providerTimeoutMs: 7_000,
      rateLimitPerMinute: 0,
      logRequests: true,
      payments: { feeMode: 'absorbed', depositExpiryMs: 90 * 60_000, publicUrl: 'https://panel.example.com' },
      metricsToken: null,
      trustProxy: false,
      maxApiKeys: 10,
      secrets: expect.any(SecretBox),
      connectionLimits: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 60_000,
        keepAliveTimeoutMs: 5_000,
        maxConnections: 4096,
      },
      challenge: false,
      signUpLimitPerHour: 0,
      allowPrivateUrls: true,
      mail: {
        smtpUrl: null,
        from: 'noreply@localhost',
        publicUrl: 'https://panel.example.com',
        adminEmail: null,
      },
    });
  });

  it('reads SMMKIT_PUBLIC_URL once: payments and email get the same value, under one rule', () => {
    const set = loadConfig({ SMMKIT_PUBLIC_URL: ' https://panel.example.com/smm// ' });
    expect(set.payments.publicUrl).toBe('https://panel.example.com/smm');
    expect(set.mail.publicUrl).toBe(set.payments.publicUrl);
    // Unset: payments use the request's host, mail links this process's port.
    const unset = loadConfig({ PORT: '9100' });
    expect(unset.payments.publicUrl).toBeNull();
    expect(unset.mail.publicUrl).toBe('http://127.0.0.1:9100');
    // A query or fragment is refused for both (email used to accept it on its own, looser check).
    for (const bad of ['https://panel.example.com/?ref=mail', 'https://panel.example.com#top', 'ftp://x'])
      expect(() => loadConfig({ SMMKIT_PUBLIC_URL: bad }), bad).toThrow(/SMMKIT_PUBLIC_URL/);
  });

  it('selects SQLite for a file path or a sqlite: URL', () => {
    expect(loadConfig({ DATABASE_URL: '/var/lib/smmkit/panel.db' }).database).toEqual({
      dialect: 'sqlite',
      filename: '/var/lib/smmkit/panel.db',
    });
    expect(loadConfig({ DATABASE_URL: 'sqlite:///srv/x.db' }).database).toEqual({
      dialect: 'sqlite',
      filename: '/srv/x.db',
    });
  });

  it.each([
    ['SMMKIT_SQLITE_SYNCHRONOUS', 'off'],
    ['SMMKIT_CURRENCY', 'dollars'],
    ['PORT', '70000'],
    ['PORT', 'abc'],
    ['SMMKIT_DB_POOL_SIZE', '0'],
    ['SMMKIT_DISPATCH_INTERVAL', '0'],
    ['SMMKIT_DISPATCH_INTERVAL', '1.5'],
    ['SMMKIT_SYNC_INTERVAL', '-1'],
    ['SMMKIT_PROVIDER_TIMEOUT', '0'],
    ['SMMKIT_RATE_LIMIT', '-5'],
    ['SMMKIT_RATE_LIMIT', 'lots'],
    ['SMMKIT_LOG_REQUESTS', 'maybe'],
    ['SMMKIT_CHALLENGE', 'sometimes'],
    ['SMMKIT_SIGNUP_LIMIT', '-1'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
