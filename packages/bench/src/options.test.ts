import { describe, expect, it } from 'vitest';
import { OptionsError, parseBenchOptions } from './options.js';

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

describe('parseBenchOptions', () => {
  it('measures the API on SQLite with the full sizes by default', () => {
    expect(parseBenchOptions([], {})).toEqual({
      mode: 'http',
      dialect: 'sqlite',
      quick: false,
      postgresUrl: DEFAULT_POSTGRES_URL,
      cpuProfile: false,
      sizes: { users: 10_000, categories: 20, services: 1_000, orders: 1_000_000 },
      smallOrders: 1_000,
      seconds: 8,
      warmupSeconds: 2,
      syncOrders: 100_000,
      webhookChanges: 10_000,
      webhookChangesPerSecond: 250,
      dispatchOrders: 20_000,
      servers: 1,
      compareRateLimit: false,
      scenarios: null,
      abEnv: {},
      abRounds: 8,
    });
  });

  it('reads the ab mode: the settings server B adds, the rounds, one scenario (add by default)', () => {
    const options = parseBenchOptions(
      ['ab', '--env', 'SMMKIT_SQLITE_SYNCHRONOUS=normal', '--env', 'EXTRA=a=b', '--rounds', '4'],
      {},
    );
    expect(options).toMatchObject({
      mode: 'ab',
      dialect: 'sqlite',
      scenarios: ['add'],
      abEnv: { SMMKIT_SQLITE_SYNCHRONOUS: 'normal', EXTRA: 'a=b' },
      abRounds: 4,
    });
    expect(parseBenchOptions(['ab', '--env', 'X=', '--scenario', 'status'], {})).toMatchObject({
      abEnv: { X: '' },
      abRounds: 8,
      scenarios: ['status'],
    });
  });

  it('refuses an ab mode that would compare nothing or something else than one setting', () => {
    expect(() => parseBenchOptions(['ab'], {})).toThrow(/^ab needs --env NAME=VALUE/);
    expect(() => parseBenchOptions(['ab', '--env', 'NOEQUALS'], {})).toThrow(
      /^--env must be NAME=VALUE: NOEQUALS$/,
    );
    expect(() => parseBenchOptions(['ab', '--env', '1X=2'], {})).toThrow(/^--env must be NAME=VALUE/);
    expect(() => parseBenchOptions(['ab', '--env', 'X=1', '--rounds', '1'], {})).toThrow(
      /^--rounds must be a whole number from 2 to 100$/,
    );
    expect(() => parseBenchOptions(['ab', '--env', 'X=1', '--rounds', '2.5'], {})).toThrow(/^--rounds must/);
    expect(() => parseBenchOptions(['ab', '--env', 'X=1', '--db', 'postgres'], {})).toThrow(
      /^ab measures on copies of one SQLite database/,
    );
    expect(() => parseBenchOptions(['ab', '--env', 'X=1', '--scenario', 'add,status'], {})).toThrow(
      /^ab measures one --scenario$/,
    );
    expect(() => parseBenchOptions(['ab', '--env', 'X=1', '--servers', '2'], {})).toThrow(
      /^ab measures one server against another/,
    );
    expect(() => parseBenchOptions(['--env', 'X=1'], {})).toThrow(/^--env and --rounds are for the ab mode$/);
    expect(() => parseBenchOptions(['scale', '--rounds', '3'], {})).toThrow(
      /^--env and --rounds are for the ab mode$/,
    );
  });

  it('takes --scenario by slug, repeated or comma-separated, and refuses an unknown one', () => {
    expect(parseBenchOptions(['--scenario', 'services'], {}).scenarios).toEqual(['services']);
    expect(
      parseBenchOptions(['--scenario', 'status-x100,services', '--scenario', 'add'], {}).scenarios,
    ).toEqual(['status-x100', 'services', 'add']);
    expect(parseBenchOptions(['--scenario', 'refill-status-x100'], {}).scenarios).toEqual([
      'refill-status-x100',
    ]);
    expect(() => parseBenchOptions(['--scenario', 'status x100'], {})).toThrow(
      /^unknown scenario: status x100 \(the scenarios are status, status-x100/,
    );
  });

  it('reads every flag', () => {
    const options = parseBenchOptions(
      [
        '--db',
        'postgres',
        '--quick',
        '--pg-url',
        'postgres://bench@db:5432/x',
        '--cpu-prof',
        '--servers',
        '2',
      ],
      {},
    );
    expect(options).toMatchObject({
      dialect: 'postgres',
      quick: true,
      postgresUrl: 'postgres://bench@db:5432/x',
      cpuProfile: true,
      servers: 2,
      compareRateLimit: false,
    });
    expect(parseBenchOptions(['--compare-rate-limit'], {}).compareRateLimit).toBe(true);
  });

  it('shrinks sizes and runs with --quick', () => {
    expect(parseBenchOptions(['--quick'], {})).toMatchObject({
      sizes: { orders: 100_000 },
      seconds: 3,
      warmupSeconds: 1,
      syncOrders: 10_000,
      webhookChanges: 2_000,
      dispatchOrders: 5_000,
    });
  });

  it('takes the mode (sync, webhooks, dispatch), before or after the flags', () => {
    expect(parseBenchOptions(['sync', '--quick'], {}).mode).toBe('sync');
    expect(parseBenchOptions(['--db', 'postgres', 'sync'], {}).mode).toBe('sync');
    expect(parseBenchOptions(['webhooks', '--quick'], {}).mode).toBe('webhooks');
    expect(parseBenchOptions(['dispatch', '--db', 'postgres', '--quick'], {})).toMatchObject({
      mode: 'dispatch',
      dialect: 'postgres',
      quick: true,
      dispatchOrders: 5_000,
    });
    expect(parseBenchOptions(['--db', 'sqlite', 'dispatch'], {}).mode).toBe('dispatch');
  });

  it('seeds ten million orders in `scale`, ~2 deposits a order, next to 100k orders', () => {
    expect(parseBenchOptions(['scale'], {})).toMatchObject({
      mode: 'scale',
      dialect: 'sqlite',
      sizes: { users: 10_000, orders: 10_000_000, depositsPerUser: 2_000 },
      smallOrders: 100_000,
      seconds: 8,
    });
    expect(parseBenchOptions(['scale', '--db', 'postgres', '--orders', '1000000'], {})).toMatchObject({
      mode: 'scale',
      dialect: 'postgres',
      sizes: { orders: 1_000_000, depositsPerUser: 200 },
      smallOrders: 100_000,
    });
    // Fewer orders than the comparison's: the small database is as big as the big one.
    expect(parseBenchOptions(['scale', '--orders', '20000'], {})).toMatchObject({
      sizes: { orders: 20_000, depositsPerUser: 4 },
      smallOrders: 20_000,
    });
  });

  it('falls back to TEST_DATABASE_URL, then to the local server', () => {
    const env = { TEST_DATABASE_URL: ' postgres://ci@127.0.0.1:5433/ci ' };
    expect(parseBenchOptions([], env).postgresUrl).toBe('postgres://ci@127.0.0.1:5433/ci');
    expect(parseBenchOptions(['--pg-url', 'postgres://x@y/z'], env).postgresUrl).toBe('postgres://x@y/z');
    expect(parseBenchOptions([], { TEST_DATABASE_URL: '  ' }).postgresUrl).toBe(DEFAULT_POSTGRES_URL);
  });

  it.each([
    [['--db', 'mysql'], '--db must be sqlite or postgres'],
    [['--servers', '3'], '--servers must be 1 or 2'],
    [['load'], 'unknown mode: load (the modes are sync, webhooks, dispatch, scale, ab)'],
    [['dispatch', 'sync'], 'unknown mode: dispatch sync (the modes are sync, webhooks, dispatch, scale, ab)'],
    [['sync', 'sync'], 'unknown mode: sync sync (the modes are sync, webhooks, dispatch, scale, ab)'],
    [['--orders', '1000000'], '--orders is for the scale mode'],
    [['scale', '--orders', '999'], '--orders must be a whole number from 1000 to 100000000'],
    [['scale', '--orders', '1e6'], '--orders must be a whole number from 1000 to 100000000'],
    [['scale', '--orders', '200000000'], '--orders must be a whole number from 1000 to 100000000'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBenchOptions(argv, {})).toThrow(new OptionsError(message));
  });

  it('refuses an unknown flag', () => {
    expect(() => parseBenchOptions(['--fast'], {})).toThrow(OptionsError);
  });
});
