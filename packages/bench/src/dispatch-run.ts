import { mkdirSync } from 'node:fs';
import { type Database, dynamicSql, openDatabase, parseDatabaseUrl } from '@smmkit/server/bench-support';
import { loadAverage, machineFacts } from './machine.js';
import { type BenchDatabase, createBenchDatabase } from './bench-database.js';
import { type ChildProcessHandle, type ChildServer, startChildProcess } from './child-server.js';
import { checkDispatch } from './dispatch-check.js';
import {
  type DispatchBenchReport,
  type DispatchRun,
  dispatchRunFailures,
  dispatchTargets,
  formatDispatchReport,
  writeDispatchReport,
} from './dispatch-report.js';
import { seedDispatchProvider, seedDispatchReseller } from './dispatch-seed.js';
import type { BenchOptions } from './options.js';
import { processMemory } from './process-memory.js';
import { RESULTS_DIR, SMMKIT_BIN, profileDirFor } from './paths.js';
import { startSmmkitServer } from './servers.js';

/** How often the bench looks at the reseller's orders while the workers dispatch them. */
const POLL_MS = 100;
/** A pass fails when no order moves for this long. */
const STALL_TIMEOUT_MS = 60_000;
/** The passes: one worker process, then two on the same database. */
const WORKER_COUNTS = [1, 2] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const countSql = dynamicSql(
  `SELECT SUM(CASE WHEN dispatch_state <> 'queued' THEN 1 ELSE 0 END) AS claimed,
     SUM(CASE WHEN dispatch_state = 'sent' THEN 1 ELSE 0 END) AS sent FROM orders`,
);

/**
 * `npm run bench -- dispatch`: N orders queued at a reseller (SQLite, or PostgreSQL with --db
 * postgres), handed by real `smmkit worker` processes to a provider that is a real
 * `smmkit serve --no-worker` on its own SQLite database, over API v2. One pass with one worker,
 * one with two, each on fresh databases; after each, every order is checked to be at the provider
 * exactly once and every balance against its ledger. Throws when a check fails.
 */
export async function runDispatchBenchmark(
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  const orders = options.dispatchOrders;
  progress(
    `smmkit bench dispatch: ${orders.toLocaleString('en-US')} queued orders, reseller on ${options.dialect}` +
      `${options.quick ? ' (quick)' : ''}, provider on sqlite; 1 then 2 worker processes`,
  );
  if (loadAtStart > 0.5) {
    progress(`warning: the machine is busy (load ${loadAtStart.toFixed(1)}): numbers will be noisy`);
  }
  const runs: DispatchRun[] = [];
  const stamp = startedAt.replace(/[:.]/g, '-');
  for (const workers of WORKER_COUNTS) runs.push(await measurePass(options, workers, stamp, progress));
  const report: DispatchBenchReport = {
    startedAt,
    dialect: options.dialect,
    quick: options.quick,
    orders,
    machine: machineFacts(loadAtStart),
    runs,
  };
  const targets = dispatchTargets(report);
  progress('');
  progress(formatDispatchReport(report, targets));
  progress('');
  progress(`results: ${writeDispatchReport(RESULTS_DIR, report, targets)}`);
  const failures = runs.flatMap(dispatchRunFailures);
  if (failures.length > 0) throw new Error(`dispatch benchmark failed: ${failures.join('; ')}`);
}

async function measurePass(
  options: BenchOptions,
  workers: number,
  startedAt: string,
  progress: (line: string) => void,
): Promise<DispatchRun> {
  const orders = options.dispatchOrders;
  const providerDb = await createBenchDatabase('sqlite', options.postgresUrl, 'dispatch_provider');
  let resellerDb: BenchDatabase | null = null;
  let provider: ChildServer | null = null;
  let watcher: Database | null = null;
  const processes: ChildProcessHandle[] = [];
  try {
    resellerDb = await createBenchDatabase(options.dialect, options.postgresUrl, 'dispatch_reseller');
    progress(`pass with ${workers} worker${workers === 1 ? '' : 's'}: seeding the provider (sqlite)…`);
    const { apiKey } = await seedDispatchProvider(providerDb, progress);
    provider = await startSmmkitServer(providerDb, null);
    progress(`seeding the reseller (${options.dialect}): ${orders.toLocaleString('en-US')} queued orders…`);
    await seedDispatchReseller(resellerDb, orders, { url: `${provider.url}/api/v2`, apiKey }, progress);
    watcher = openDatabase(parseDatabaseUrl(resellerDb.url));

    progress(`dispatching: ${workers} \`smmkit worker\` process${workers === 1 ? '' : 'es'}…`);
    // Status checks of the sent orders come an hour later: the pass measures dispatch alone.
    const env = {
      ...process.env,
      DATABASE_URL: resellerDb.url,
      SMMKIT_LOG_LEVEL: 'warn',
      SMMKIT_SYNC_INTERVAL: '3600',
    };
    const started = performance.now();
    const profileDir = profileDirFor(options.cpuProfile, startedAt, `dispatch-profile-${workers}`);
    if (profileDir !== null) mkdirSync(profileDir, { recursive: true });
    const profile = profileDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
    for (let i = 0; i < workers; i++) {
      processes.push(startChildProcess([...profile, SMMKIT_BIN, 'worker'], env));
    }
    const cpu = () => processes.reduce((sum, child) => sum + child.cpuSeconds(), 0);
    let cpuAtClaim: { workers: number; provider: number } | null = null;
    let lastMove = { at: performance.now(), claimed: 0, sent: 0 };
    for (;;) {
      const row = await watcher.get<{ claimed: unknown; sent: unknown }>(countSql);
      const claimed = Number(row?.claimed ?? 0);
      const sent = Number(row?.sent ?? 0);
      if (claimed > 0 && cpuAtClaim === null)
        cpuAtClaim = { workers: cpu(), provider: provider.cpuSeconds() };
      if (sent >= orders) break;
      if (claimed !== lastMove.claimed || sent !== lastMove.sent) {
        lastMove = { at: performance.now(), claimed, sent };
      } else if (performance.now() - lastMove.at > STALL_TIMEOUT_MS) {
        throw new Error(
          `dispatch stalled at ${sent} of ${orders} sent:\n${processes.map((child) => child.output()).join('')}`,
        );
      }
      const gone = processes.find((child) => child.exited());
      if (gone) throw new Error(`a worker exited before the end:\n${gone.output()}`);
      await sleep(POLL_MS);
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const workerCpuSeconds = cpu() - (cpuAtClaim?.workers ?? 0);
    const providerCpuSeconds = provider.cpuSeconds() - (cpuAtClaim?.provider ?? 0);
    const workerPeakRssMb = Math.max(...processes.map((child) => processMemory(child.pid).peakMb));
    await Promise.all(processes.map((child) => child.stop()));
    const warnings = processes
      .flatMap((child) => child.output().split('\n'))
      .filter((line) => /"level":"(warn|error)"/.test(line));
    const providerLog = provider.output();
    await provider.stop();
    await watcher.close();
    watcher = null;

    progress('checking every order against the provider, and both ledgers…');
    const check = await checkDispatch(providerDb, resellerDb);
    return {
      workers,
      orders,
      dispatchSeconds: (check.lastRecordedAt - check.firstArrivalAt) / 1000,
      wallSeconds,
      workerCpuSeconds,
      providerCpuSeconds,
      workerPeakRssMb,
      workerWarnings: warnings.length,
      workerWarningSamples: warnings.slice(0, 10),
      providerLog,
      check,
    };
  } finally {
    await Promise.all(processes.map((child) => child.stop()));
    await provider?.stop();
    await watcher?.close();
    await Promise.all([providerDb.drop(), resellerDb?.drop()]);
  }
}
