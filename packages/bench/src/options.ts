import { parseArgs } from 'node:util';
import type { Dialect } from '@smmkit/server/bench-support';

/**
 * `http`: the API under wrk load (the default); `sync`: the worker's provider sync (sync-run.ts);
 * `webhooks`: order status changes delivered as webhooks by the worker (webhooks-run.ts);
 * `dispatch`: queued orders handed to a local provider by the worker (dispatch-run.ts).
 * `scale`: ten million orders, the API and the web panel's order pages on them (scale-run.ts).
 * `ab`: one scenario on two servers that differ by environment variables, in alternating runs (ab-run.ts).
 */
export type BenchMode = 'http' | 'sync' | 'webhooks' | 'dispatch' | 'scale' | 'ab';
const MODES: readonly string[] = ['sync', 'webhooks', 'dispatch', 'scale', 'ab'];

/** `ab`: alternating rounds unless `--rounds` says otherwise. */
export const AB_ROUNDS = 8;

/** `scale`: the ten million orders unless `--orders` says otherwise. */
export const SCALE_ORDERS = 10_000_000;
/** `scale`: the API is compared with the same panel at this many orders. */
export const SCALE_SMALL_ORDERS = 100_000;

/** What one benchmark run measures and for how long. */
export interface BenchOptions {
  readonly mode: BenchMode;
  readonly dialect: Dialect;
  readonly quick: boolean;
  /** Base PostgreSQL URL; each run works in a fresh schema of it. */
  readonly postgresUrl: string;
  /** When set, the server runs under `node --cpu-prof` and its profile lands in bench-results. */
  readonly cpuProfile: boolean;
  /** `scale`: `orders` is `--orders`, with ~2 deposits a order (so ~3 ledger entries a order). */
  readonly sizes: SeedSizes;
  /** Orders in the second, small database: the baseline `status` is compared against. */
  readonly smallOrders: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** `sync`: orders in flight at the reseller, each one an order at the local provider. */
  readonly syncOrders: number;
  /** `webhooks`: order status changes made (each one delivery), and how many a second. */
  readonly webhookChanges: number;
  readonly webhookChangesPerSecond: number;
  /** `dispatch`: queued orders at the reseller, each sent once to the local provider. */
  readonly dispatchOrders: number;
  /** 2: each scenario is measured on two `smmkit serve` processes sharing the database too. */
  readonly servers: 1 | 2;
  /** Each scenario is measured on a server with rate limits on (a limit nobody reaches) too. */
  readonly compareRateLimit: boolean;
  /** `--scenario`: only these scenarios (by slug: `status`, `status-x100`…); null: all of them. */
  readonly scenarios: readonly string[] | null;
  /** `ab`: what server B's environment adds to server A's (`--env NAME=VALUE`, repeatable). */
  readonly abEnv: Readonly<Record<string, string>>;
  /** `ab`: rounds, each one run on A and one on B (the order alternating). */
  readonly abRounds: number;
}

/** The API scenarios by slug, in the order they run (see scenarios.ts). */
export const SCENARIO_SLUGS: readonly string[] = [
  'status',
  'status-x100',
  'refill-status-x100',
  'services',
  'balance',
  'add',
];

export interface SeedSizes {
  readonly users: number;
  readonly categories: number;
  readonly services: number;
  readonly orders: number;
  /** Deposits each user's money arrives in (1 unless given): the scale mode seeds ~2 a order. */
  readonly depositsPerUser?: number;
}

export class OptionsError extends Error {}

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export const USAGE = `Usage: npm run bench [-- sync|webhooks|dispatch|scale|ab] [-- --db sqlite|postgres] [-- --quick] [-- --pg-url URL] [-- --cpu-prof]
                      [-- --servers 2] [-- --compare-rate-limit] [-- --scenario NAME[,NAME…]] [-- --orders N]
                      [-- --env NAME=VALUE] [-- --rounds N]

  sync                  measure the worker's provider sync instead of the API: 100k orders in
                        flight against a local provider instance (10k with --quick)
  scale                 ten million orders (~30 million ledger entries), seeded in bulk: status,
                        status x100, add and balance next to the same at ${SCALE_SMALL_ORDERS.toLocaleString('en-US')} orders;
                        the admin web order list (first, status-filtered and deep page) at 8
                        connections; the admin dashboard; the server's peak RSS
  --orders N            scale: orders to seed (default ${SCALE_ORDERS.toLocaleString('en-US')}), e.g. 1000000 for a shorter run
  webhooks              measure webhook delivery: 10k order status changes (2k with --quick), 250 a
                        second, each delivered by a real smmkit worker to a local receiver
  dispatch              measure dispatch: 20k queued orders (5k with --quick) sent by real smmkit
                        worker processes (1, then 2) to a local provider instance over API v2
  ab                    A/B of a server setting: one scenario (--scenario, default add) at 64 connections
                        on two servers, each on its own copy of one seeded SQLite database, server B
                        with --env added to its environment; short runs alternate between them for
                        --rounds rounds (default ${AB_ROUNDS}), so a noisy machine's drift falls on both sides
  --env NAME=VALUE      ab: an environment variable server B runs with (repeatable; at least one)
  --rounds N            ab: rounds to alternate (2 to 100)
  --db sqlite|postgres  the store to measure (default sqlite)
  --quick               100k orders and short runs, for a fast check
  --pg-url URL          PostgreSQL server to use (default TEST_DATABASE_URL, else ${DEFAULT_POSTGRES_URL})
  --cpu-prof            profile the server under load (node --cpu-prof) into bench-results/
                        (sync: profile the worker process; dispatch: the worker processes)
  --servers 2           also measure each scenario on two smmkit serve processes on one database,
                        wrk's threads spread over both (at 64 connections; 1 connection reaches one)
  --compare-rate-limit  also measure each scenario with rate limits on (SMMKIT_RATE_LIMIT=1000000000);
                        the other servers run with SMMKIT_RATE_LIMIT=0
  --scenario NAME       measure only these scenarios (repeat, or separate with commas): ${SCENARIO_SLUGS.join(', ')};
                        each still runs next to its ceiling (the fixed-JSON floor is skipped)`;

export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        db: { type: 'string', default: 'sqlite' },
        quick: { type: 'boolean', default: false },
        'pg-url': { type: 'string' },
        'cpu-prof': { type: 'boolean', default: false },
        servers: { type: 'string', default: '1' },
        'compare-rate-limit': { type: 'boolean', default: false },
        scenario: { type: 'string', multiple: true },
        orders: { type: 'string' },
        env: { type: 'string', multiple: true },
        rounds: { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  if (values.db !== 'sqlite' && values.db !== 'postgres')
    throw new OptionsError('--db must be sqlite or postgres');
  const mode = positionals[0];
  if (positionals.length > 1 || (mode !== undefined && !MODES.includes(mode)))
    throw new OptionsError(`unknown mode: ${positionals.join(' ')} (the modes are ${MODES.join(', ')})`);
  if (values.servers !== '1' && values.servers !== '2') throw new OptionsError('--servers must be 1 or 2');
  let scenarios: string[] | null = null;
  if (values.scenario !== undefined) {
    scenarios = values.scenario.flatMap((value) => value.split(',')).map((value) => value.trim());
    const unknown = scenarios.filter((name) => !SCENARIO_SLUGS.includes(name));
    if (unknown.length > 0 || scenarios.length === 0)
      throw new OptionsError(
        `unknown scenario: ${unknown.join(', ') || '(none)'} (the scenarios are ${SCENARIO_SLUGS.join(', ')})`,
      );
  }
  const ab = mode === 'ab';
  const abEnv: Record<string, string> = {};
  if (!ab && (values.env !== undefined || values.rounds !== undefined))
    throw new OptionsError('--env and --rounds are for the ab mode');
  for (const setting of values.env ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(setting);
    if (!match?.[1]) throw new OptionsError(`--env must be NAME=VALUE: ${setting}`);
    abEnv[match[1]] = match[2] ?? '';
  }
  let abRounds = AB_ROUNDS;
  if (values.rounds !== undefined) {
    abRounds = Number(values.rounds);
    if (!/^\d+$/.test(values.rounds) || abRounds < 2 || abRounds > 100)
      throw new OptionsError('--rounds must be a whole number from 2 to 100');
  }
  if (ab) {
    if (Object.keys(abEnv).length === 0)
      throw new OptionsError('ab needs --env NAME=VALUE: what server B runs with that server A does not');
    if (values.db !== 'sqlite')
      throw new OptionsError('ab measures on copies of one SQLite database: --db sqlite');
    if (scenarios !== null && scenarios.length !== 1) throw new OptionsError('ab measures one --scenario');
    if (values.servers !== '1' || values['compare-rate-limit'])
      throw new OptionsError('ab measures one server against another: no --servers or --compare-rate-limit');
  }
  const quick = values.quick;
  const scale = mode === 'scale';
  let orders = quick ? 100_000 : 1_000_000;
  if (values.orders !== undefined) {
    if (!scale) throw new OptionsError('--orders is for the scale mode');
    orders = Number(values.orders);
    if (
      !/^\d+$/.test(values.orders) ||
      !Number.isSafeInteger(orders) ||
      orders < 1_000 ||
      orders > 100_000_000
    )
      throw new OptionsError('--orders must be a whole number from 1000 to 100000000');
  } else if (scale) {
    orders = SCALE_ORDERS;
  }
  const users = 10_000;
  return {
    // Checked against MODES above.
    mode: (mode ?? 'http') as BenchMode,
    dialect: values.db,
    quick,
    postgresUrl: values['pg-url'] ?? (env.TEST_DATABASE_URL?.trim() || DEFAULT_POSTGRES_URL),
    cpuProfile: values['cpu-prof'],
    // The shape: 10k users, 1,000 services in ~20 categories, 1M orders (100k when quick).
    sizes: scale
      ? {
          users,
          categories: 20,
          services: 1_000,
          orders,
          depositsPerUser: Math.max(1, Math.round((2 * orders) / users)),
        }
      : { users, categories: 20, services: 1_000, orders },
    smallOrders: scale ? Math.min(SCALE_SMALL_ORDERS, orders) : 1_000,
    // 24 measured runs and 12 warm-ups: 8 s and 2 s each keep a full run near five minutes on two cores.
    seconds: quick ? 3 : 8,
    warmupSeconds: quick ? 1 : 2,
    // The shape: 100k orders in flight (10k when quick).
    syncOrders: quick ? 10_000 : 100_000,
    // The shape: 10k status changes, 10k deliveries (2k when quick).
    webhookChanges: quick ? 2_000 : 10_000,
    webhookChangesPerSecond: 250,
    // The shape: 20k queued orders (5k when quick).
    dispatchOrders: quick ? 5_000 : 20_000,
    servers: values.servers === '2' ? 2 : 1,
    compareRateLimit: values['compare-rate-limit'],
    scenarios: ab && scenarios === null ? ['add'] : scenarios,
    abEnv,
    abRounds,
  };
}
