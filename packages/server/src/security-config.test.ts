import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

/** The settings issue 13 added (README › Security). */
describe('security settings', () => {
  it('SMMKIT_METRICS_TOKEN: off by default, a visible-ASCII token of 16+ characters when set', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ SMMKIT_METRICS_TOKEN: ' abcdefghijklmnop0123 ' }).metricsToken).toBe(
      'abcdefghijklmnop0123',
    );
    for (const bad of ['short', 'has a space inside it!', 'ünïcödé-tokens-are-no']) {
      expect(() => loadConfig({ SMMKIT_METRICS_TOKEN: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ SMMKIT_METRICS_TOKEN: bad })).toThrow('SMMKIT_METRICS_TOKEN');
    }
  });
});

describe('SMMKIT_TRUST_PROXY', () => {
  it.each<[string | undefined, unknown]>([
    [undefined, false],
    ['', false],
    ['0', false],
    ['false', false],
    ['1', 1],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8, 192.168.1.10 ,::1', ['10.0.0.0/8', '192.168.1.10', '::1']],
    ['fd00::/8,loopback', ['fd00::/8', 'loopback']],
  ])('reads %j', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { SMMKIT_TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(['true', 'yes', 'nginx', '10.0.0.0/33', '::1/129', '1.2.3.4/x', '1.2.3', '101', '10.0.0.1,'])(
    'refuses %j',
    (value) => {
      expect(() => loadConfig({ SMMKIT_TRUST_PROXY: value })).toThrow(ConfigError);
      expect(() => loadConfig({ SMMKIT_TRUST_PROXY: value })).toThrow('SMMKIT_TRUST_PROXY');
    },
  );
});

describe('connection limits', () => {
  it('default to 10 s for headers, 60 s per request, 5 s keep-alive and 4096 connections', () => {
    expect(loadConfig({}).connectionLimits).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 4096,
    });
  });

  it('read SMMKIT_HEADERS_TIMEOUT, SMMKIT_REQUEST_TIMEOUT, SMMKIT_KEEP_ALIVE_TIMEOUT and SMMKIT_MAX_CONNECTIONS', () => {
    expect(
      loadConfig({
        SMMKIT_HEADERS_TIMEOUT: '5',
        SMMKIT_REQUEST_TIMEOUT: '30',
        SMMKIT_KEEP_ALIVE_TIMEOUT: '65',
        SMMKIT_MAX_CONNECTIONS: '20000',
      }).connectionLimits,
    ).toEqual({
      headersTimeoutMs: 5000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 20_000,
    });
  });

  it.each([
    ['SMMKIT_HEADERS_TIMEOUT', '0'],
    ['SMMKIT_REQUEST_TIMEOUT', 'long'],
    ['SMMKIT_KEEP_ALIVE_TIMEOUT', '-1'],
    ['SMMKIT_MAX_CONNECTIONS', '0'],
  ])('refuse %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
