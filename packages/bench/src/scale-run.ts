import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  dynamicSql,
  findKeptTotalMismatches,
  findLedgerMismatches,
  foldLedgerKindTotals,
  foldOrderDayChanges,
  foldOrderStatusChanges,
} from '@smmkit/server/bench-support';
import { loadAverage, machineFacts } from './machine.js';
import { type BenchDatabase, createBenchDatabase } from './bench-database.js';
import { type ChildServer, startChildProcess } from './child-server.js';
import { type Target, describeRun, measureTogether } from './measure.js';
import type { BenchOptions } from './options.js';
import { RESULTS_DIR, SMMKIT_BIN, profileDirFor } from './paths.js';
import { prepareDatabase, withDatabase } from './prepare-database.js';
import { type PhaseMemory, processMemory } from './process-memory.js';
import type { RequestBodies } from './request-bodies.js';
import {
  type MigrationStall,
  type ScaleApiResult,
  type ScaleReport,
  type ScaleWebResult,
  evaluateScaleTargets,
  formatScaleReport,
  writeScaleReport,
} from './scale-report.js';
import { readServerFailures } from './runtime-evidence.js';
import { type Load, addLoad } from './scenarios.js';
import { startSmmkitServer } from './servers.js';
import { type WebLoad, WrkRunner } from './wrk.js';

type Progress = (line: string) => void;

const WEB_CONNECTIONS = 8;
const ORDER_PAGE_P99_MS = 50;
const DASHBOARD_P99_MS = 200;
const ADMIN_USERNAME = 'benchadmin';

/** The API scenarios the issue compares across sizes, reads first (so they see the seeded tables). */
function apiLoads(bodies: RequestBodies): { name: string; load: Load }[] {
  const checked = (list: readonly string[], expect: string): Load => ({
    kind: 'bodies',
    bodies: list,
    expect,
    checkBodies: true,
  });
  return [
    { name: 'status', load: checked(bodies.statusSingle, '"status"') },
    { name: 'status x100', load: checked(bodies.statusMany, '"status"') },
    { name: 'balance', load: checked(bodies.balance, '"balance"') },
    { name: 'add', load: addLoad(bodies) },
  ];
}

/** An owner with a password, made by the CLI as an operator makes one, then signed in over HTTP. */
async function adminSession(db: BenchDatabase, server: ChildServer): Promise<string> {
  const password = randomBytes(12).toString('hex');
  const created = spawnSync(
    process.execPath,
    [SMMKIT_BIN, 'user', 'create', '--username', ADMIN_USERNAME, '--password', password, '--admin'],
    { env: { ...process.env, DATABASE_URL: db.url, SMMKIT_LOG_LEVEL: 'warn' }, encoding: 'utf8' },
  );
  if (created.status !== 0) throw new Error(`smmkit user create failed: ${created.stderr || created.stdout}`);
  const response = await fetch(`${server.url}/web-api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: ADMIN_USERNAME, password }),
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (response.status !== 200 || cookie === undefined) {
    throw new Error(`admin sign-in failed: HTTP ${response.status} ${await response.text()}`);
  }
  return cookie;
}

/** The admin Orders page's reads (first, status-filtered, deep) and the dashboard's. */
function webReads(
  orders: number,
  cookie: string,
): { name: string; load: WebLoad; limit: number; connections: number }[] {
  const list = (paths: string[]): WebLoad => ({ paths, cookie, expect: '"orders":' });
  // Deep: among the oldest hundredth of the orders, where an offset would scan nearly all of them.
  const deep = Array.from({ length: 20 }, (_, i) => 26 + Math.floor((i * orders) / 2000));
  return [
    {
      name: 'web orders, first page',
      load: list(['/web-api/admin/orders']),
      limit: ORDER_PAGE_P99_MS,
      connections: WEB_CONNECTIONS,
    },
    {
      name: 'web orders, by status',
      load: list(
        ['Pending', 'In progress', 'Processing', 'Completed'].map(
          (status) => `/web-api/admin/orders?status=${encodeURIComponent(status)}`,
        ),
      ),
      limit: ORDER_PAGE_P99_MS,
      connections: WEB_CONNECTIONS,
    },
    {
      name: 'web orders, deep page',
      load: list(deep.map((before) => `/web-api/admin/orders?before=${before}`)),
      limit: ORDER_PAGE_P99_MS,
      connections: WEB_CONNECTIONS,
    },
    {
      name: 'admin dashboard',
      load: { paths: ['/web-api/admin/dashboard'], cookie, expect: '"ordersByStatus"' },
      limit: DASHBOARD_P99_MS,
      // One admin opens it: its target is at 1 connection (8 are measured too).
      connections: 1,
    },
  ];
}

/** A wrong answer makes a latency meaningless: each path is fetched once and checked first. */
async function checkWebLoad(server: ChildServer, load: WebLoad): Promise<void> {
  for (const path of load.paths) {
    const response = await fetch(`${server.url}${path}`, { headers: { cookie: load.cookie } });
    const text = await response.text();
    if (response.status !== 200 || !text.includes(load.expect)) {
      throw new Error(`${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    }
  }
}

async function measureWeb(
  runner: WrkRunner,
  server: ChildServer,
  orders: number,
  cookie: string,
  options: BenchOptions,
  progress: Progress,
): Promise<ScaleWebResult[]> {
  const results: ScaleWebResult[] = [];
  for (const read of webReads(orders, cookie)) {
    await checkWebLoad(server, read.load);
    await runner.runGet(server.url, read.load, {
      connections: WEB_CONNECTIONS,
      seconds: options.warmupSeconds,
    });
    const runs = [];
    for (const connections of [1, WEB_CONNECTIONS]) {
      const cpuBefore = server.cpuSeconds();
      const wallBefore = performance.now();
      const run = await runner.runGet(server.url, read.load, { connections, seconds: options.seconds });
      const serverCpuPercent =
        ((server.cpuSeconds() - cpuBefore) / ((performance.now() - wallBefore) / 1000)) * 100;
      progress(`  ${describeRun(read.name, { ...run, serverCpuPercent, runtime: null })}`);
      runs.push(run);
    }
    results.push({
      name: read.name,
      path: read.load.paths[0] ?? '',
      runs,
      targetConnections: read.connections,
      p99LimitMs: read.limit,
    });
  }
  return results;
}

const MIGRATION_SLICE_SECONDS = 5;
const DRAIN_MS = 6_000;

/** A migration the bench takes back on the big database, then measures `add` while `smmkit migrate` applies it again. */
interface MigrationReplay {
  readonly label: string;
  readonly ids: readonly string[];
  /** Statements that bring the database back to before `ids` (their objects dropped, their records gone). */
  readonly undo: (dialect: BenchDatabase['dialect']) => readonly string[];
}

const unrecord = (ids: readonly string[]) =>
  `DELETE FROM schema_migrations WHERE id IN (${ids.map((id) => `'${id}'`).join(', ')})`;

/** 0025: the orders (status, id) index, built CONCURRENTLY on PostgreSQL. */
const INDEX_REPLAY: MigrationReplay = {
  label: 'migration 0025 (orders (status, id) index)',
  ids: ['0025_orders_status_id'],
  undo: () => ['DROP INDEX IF EXISTS orders_status_id', unrecord(['0025_orders_status_id'])],
};

/**
 * 0027: the orders' (parent_id), (parent_id, run_number) and (next_run_at) indexes made partial; on
 * PostgreSQL built, and the full ones dropped, CONCURRENTLY. Undone by building the full ones again.
 */
const PARTIAL_INDEX_REPLAY: MigrationReplay = {
  label: 'migration 0027 (orders child and run indexes made partial)',
  ids: ['0027_orders_partial_child_indexes'],
  undo: () => [
    'CREATE INDEX IF NOT EXISTS orders_parent ON orders (parent_id)',
    'CREATE UNIQUE INDEX IF NOT EXISTS orders_parent_run ON orders (parent_id, run_number)',
    'CREATE INDEX IF NOT EXISTS orders_next_run ON orders (next_run_at)',
    'DROP INDEX IF EXISTS orders_child',
    'DROP INDEX IF EXISTS orders_child_run',
    'DROP INDEX IF EXISTS orders_run_due',
    unrecord(['0027_orders_partial_child_indexes']),
  ],
};

/** 0024 and 0026: the kept status counts and day totals, their triggers and their backfill scans of every order. */
const BACKFILL_REPLAY: MigrationReplay = {
  label: 'migrations 0024 and 0026 (kept totals: triggers, then backfill scans)',
  ids: ['0024_order_status_counts', '0026_order_day_totals'],
  undo: (dialect) => [
    ...(dialect === 'postgres'
      ? [
          'DROP TRIGGER IF EXISTS orders_status_count ON orders',
          'DROP FUNCTION IF EXISTS orders_status_count()',
          'DROP TRIGGER IF EXISTS orders_day_totals ON orders',
          'DROP TRIGGER IF EXISTS orders_day_totals_update ON orders',
          'DROP FUNCTION IF EXISTS orders_day_totals()',
        ]
      : ['insert', 'update', 'delete'].flatMap((event) => [
          `DROP TRIGGER IF EXISTS orders_status_count_${event}`,
          `DROP TRIGGER IF EXISTS orders_day_totals_${event}`,
        ])),
    'DROP TABLE IF EXISTS order_status_counts',
    'DROP TABLE IF EXISTS order_status_changes',
    'DROP TABLE IF EXISTS order_day_totals',
    'DROP TABLE IF EXISTS order_day_changes',
    unrecord(['0024_order_status_counts', '0026_order_day_totals']),
  ],
};

/**
 * The longest `add` while `smmkit migrate` applies `replay` on the big orders table: the migration is
 * taken back first, then `smmkit migrate` runs (as an operator upgrading runs it) while wrk keeps
 * adding at 8 connections in 5 s slices until it is done.
 */
async function measureMigrationStall(
  db: BenchDatabase,
  server: ChildServer,
  runner: WrkRunner,
  bodies: RequestBodies,
  replay: MigrationReplay,
  progress: Progress,
): Promise<MigrationStall> {
  await withDatabase(db, async (q) => {
    for (const text of replay.undo(db.dialect)) await q.run(dynamicSql(text));
  });
  progress(`measuring add while ${replay.label} runs…`);
  const failedBefore = await readServerFailures(server.url, 'add');
  const started = performance.now();
  const migrating = startChildProcess([SMMKIT_BIN, 'migrate'], {
    ...process.env,
    DATABASE_URL: db.url,
    SMMKIT_LOG_LEVEL: 'warn',
  });
  const runs = [];
  let migrationSeconds = Number.NaN;
  try {
    for (let slice = 0; ; slice++) {
      const run = await runner.run(`${server.url}/api/v2`, addLoad(bodies), {
        connections: WEB_CONNECTIONS,
        seconds: MIGRATION_SLICE_SECONDS,
        runLabel: `scale-migration-add-${replay.ids.join('-')}-${slice}`,
      });
      runs.push(run);
      if (migrating.exited()) break;
    }
    migrationSeconds = (performance.now() - started) / 1000;
  } finally {
    await migrating.stop();
  }
  const output = migrating.output();
  const missing = replay.ids.filter((id) => !output.includes(id));
  if (missing.length > 0) throw new Error(`smmkit migrate did not apply ${missing.join(', ')}:\n${output}`);
  // Adds still queued when the last slice ended are answered after it: let them finish (an add
  // waits at most SQLite's 5 s busy timeout) before reading what the server failed.
  await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
  const failedAfter = await readServerFailures(server.url, 'add');
  const stall = {
    migration: replay.label,
    migrationSeconds,
    addRequests: runs.reduce((sum, run) => sum + run.requests, 0),
    addErrors: runs.reduce((sum, run) => sum + run.unexpected + run.socketErrors, 0),
    serverFailedAdds: failedBefore === null || failedAfter === null ? null : failedAfter - failedBefore,
    longestAddMs: Math.max(...runs.map((run) => run.maxMs)),
    p99Ms: Math.max(...runs.map((run) => run.p99Ms)),
  };
  progress(
    `  applied within ${stall.migrationSeconds.toFixed(1)} s; ${stall.addRequests} adds meanwhile, ` +
      `longest ${stall.longestAddMs.toFixed(0)} ms, ${stall.addErrors} errors, ` +
      `${stall.serverFailedAdds ?? 'unknown'} failed in the server`,
  );
  return stall;
}

const METRICS_SCRAPES = 5;

/**
 * Scrapes `/metrics` `times` times, one after another, as Prometheus would (each one reads the
 * database's aggregates: order counts, queues, balances, the ledger by kind). Resolves to each
 * one's time in ms; throws on an answer other than 200.
 */
async function timeMetricsScrapes(serverUrl: string, times: number): Promise<number[]> {
  const took: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const response = await fetch(`${serverUrl}/metrics`);
    const text = await response.text();
    if (response.status !== 200 || !text.includes('smmkit_ledger_entries_sum')) {
      throw new Error(`/metrics answered ${response.status}: ${text.slice(0, 200)}`);
    }
    took.push(performance.now() - started);
  }
  return took;
}

const countLedger = (db: BenchDatabase) =>
  withDatabase(db, async (q) =>
    Number((await q.get<{ n: bigint }>(dynamicSql('SELECT COUNT(*) AS n FROM ledger_entries')))?.n ?? 0n),
  );

/**
 * `npm run bench -- scale`: seeds N orders (10M by default) and a 100k-order twin in bulk, then
 * measures the API on both, the web panel's order pages and dashboard on the big one, and the
 * big server's peak memory.
 */
export async function runScaleBenchmark(
  options: BenchOptions,
  workDir: string,
  progress: Progress,
): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  const { sizes } = options;
  progress(
    `smmkit scale bench: ${options.dialect}, ${sizes.orders.toLocaleString('en-US')} orders ` +
      `(and ${options.smallOrders.toLocaleString('en-US')}); ${options.seconds} s per run`,
  );
  if (loadAtStart > 0.5)
    progress(`warning: the machine is busy (load ${loadAtStart.toFixed(1)}): numbers will be noisy`);
  const runner = new WrkRunner(workDir);
  const big = await createBenchDatabase(options.dialect, options.postgresUrl, 'scale');
  const small = await createBenchDatabase(options.dialect, options.postgresUrl, 'scalesmall').catch(
    async (error: unknown) => {
      await big.drop();
      throw error;
    },
  );
  const servers: ChildServer[] = [];
  try {
    const bigPrepared = await prepareDatabase(big, sizes, progress);
    // Fewer users, each with at least 100 orders as at N, so `status` of 100 ids asks for the
    // caller's own orders on both sides (not 90 "Incorrect order ID"s on the small one).
    const smallUsers = Math.max(100, Math.min(sizes.users, Math.floor(options.smallOrders / 100)));
    const smallSizes = {
      ...sizes,
      users: smallUsers,
      orders: options.smallOrders,
      depositsPerUser: Math.max(1, Math.round((2 * options.smallOrders) / smallUsers)),
    };
    const smallPrepared = await prepareDatabase(small, smallSizes, progress);
    const ledgerEntries = await countLedger(big);

    progress('starting smmkit serve on each database…');
    const profileDir = profileDirFor(options.cpuProfile, startedAt, 'scale-profile');
    const bigServer = await startSmmkitServer(big, profileDir);
    if (profileDir !== null)
      progress(`CPU profile of the ${sizes.orders.toLocaleString('en-US')}-order server: ${profileDir}`);
    servers.push(bigServer);
    const smallServer = await startSmmkitServer(small, null);
    servers.push(smallServer);
    const cookie = await adminSession(big, bigServer);
    const memoryByPhase: PhaseMemory[] = [];
    const memoryAfter = (phase: string) => memoryByPhase.push({ phase, ...processMemory(bigServer.pid) });
    memoryAfter('started');

    progress(`measuring the web panel's reads at 1 and ${WEB_CONNECTIONS} connections…`);
    const web = await measureWeb(runner, bigServer, sizes.orders, cookie, options, progress);
    memoryAfter('web pages');

    progress('measuring the API at both sizes, at 1 and 64 connections…');
    const api: ScaleApiResult[] = [];
    const smallLoads = apiLoads(smallPrepared.bodies);
    for (const [i, { name, load }] of apiLoads(bigPrepared.bodies).entries()) {
      const smallLoad = smallLoads[i]?.load;
      if (smallLoad === undefined) continue;
      const targets: Target[] = [
        { name: `${name}, big`, label: `scale-${name.replace(/\W+/g, '-')}-big`, server: bigServer, load },
        {
          name: `${name}, small`,
          label: `scale-${name.replace(/\W+/g, '-')}-small`,
          server: smallServer,
          load: smallLoad,
        },
      ];
      const [bigRuns, smallRuns] = await measureTogether(runner, targets, options, progress);
      api.push({ name, big: bigRuns ?? [], small: smallRuns ?? [] });
      memoryAfter(name);
    }
    // The server runs without its worker (servers.ts), so nothing has folded `add`'s changes: the
    // bench folds them as the worker would have within KEPT_TOTALS_FOLD_MS, and the scrapes read
    // what a panel with its worker has to add up.
    const foldStarted = performance.now();
    const foldedChanges = await withDatabase(big, async (db) => ({
      statusCounts: await foldOrderStatusChanges(db),
      dayTotals: await foldOrderDayChanges(db),
      ledgerIds: await foldLedgerKindTotals(db),
    }));
    progress(
      `folded add's changes as the worker would (${foldedChanges.ledgerIds.toLocaleString('en-US')} ledger ids) ` +
        `in ${((performance.now() - foldStarted) / 1000).toFixed(1)} s`,
    );
    progress(`timing ${METRICS_SCRAPES} /metrics scrapes, one after another…`);
    const metricsScrapeMs = await timeMetricsScrapes(bigServer.url, METRICS_SCRAPES);
    progress(`  ${metricsScrapeMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    memoryAfter('metrics scrapes');

    const statusManyOwnShare = {
      big: bigPrepared.bodies.statusManyOwnShare,
      small: smallPrepared.bodies.statusManyOwnShare,
    };

    const migrationStalls = [];
    for (const replay of [INDEX_REPLAY, PARTIAL_INDEX_REPLAY, BACKFILL_REPLAY]) {
      migrationStalls.push(
        await measureMigrationStall(big, bigServer, runner, bigPrepared.bodies, replay, progress),
      );
      memoryAfter(replay.label);
    }

    const serverPeakRssMb = bigServer.peakRssMb();
    const serverLog = servers.map((server) => server.output()).join('');
    for (const server of servers.splice(0)) await server.stop();
    const mismatches = await withDatabase(big, async (q) => (await findLedgerMismatches(q)).length);
    // Every order placed before, during and after the replayed backfills, counted the slow way.
    const keptTotalMismatches = await withDatabase(big, findKeptTotalMismatches);
    const report: ScaleReport = {
      startedAt,
      dialect: options.dialect,
      orders: sizes.orders,
      smallOrders: options.smallOrders,
      ledgerEntries,
      seedSeconds: bigPrepared.seeded.seconds,
      smallSeedSeconds: smallPrepared.seeded.seconds,
      seconds: options.seconds,
      machine: machineFacts(loadAtStart),
      api,
      web,
      statusManyOwnShare,
      migrationStalls,
      metricsScrapeMs,
      serverPeakRssMb,
      memoryByPhase,
      ledgerMismatchesAfterRun: mismatches,
      keptTotalMismatchesAfterRun: keptTotalMismatches,
      serverLog,
    };
    const targets = evaluateScaleTargets(report);
    progress('');
    progress(formatScaleReport(report, targets));
    progress('');
    progress(`results: ${writeScaleReport(RESULTS_DIR, report, targets)}`);
  } finally {
    for (const server of servers) await server.stop();
    await Promise.all([big.drop(), small.drop()]);
  }
}
