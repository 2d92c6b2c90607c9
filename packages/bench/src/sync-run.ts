import { loadAverage, machineFacts } from './machine.js';
import { type BenchDatabase, createBenchDatabase } from './bench-database.js';
import type { ChildServer } from './child-server.js';
import type { BenchOptions } from './options.js';
import { RESULTS_DIR, profileDirFor } from './paths.js';
import { startSmmkitServer } from './servers.js';
import { checkSync } from './sync-check.js';
import {
  type SyncBenchReport,
  formatSyncReport,
  syncFailures,
  syncFigures,
  writeSyncReport,
} from './sync-report.js';
import { seedProvider, seedReseller } from './sync-seed.js';
import { runSyncWorker } from './sync-worker-process.js';

/**
 * Each order is asked about once: the next check is pushed an hour ahead, so an order claimed at
 * the start of a long pass is not due again before its end (at the default 30 s it would be, and
 * the pass would ask about it twice). The interval changes when orders come due, not what a batch costs.
 */
const SYNC_INTERVAL_MS = 3_600_000;

/**
 * `npm run bench -- sync`: a provider (the real server, on its own SQLite database) holding the
 * reseller's orders, a reseller database holding the same orders in flight, and the worker's sync
 * run in a process of its own until nothing is due. Throws when the requests target or any
 * correctness check fails, so the benchmark exits non-zero.
 */
export async function runSyncBenchmark(
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  const orders = options.syncOrders;
  progress(
    `smmkit bench sync: ${orders.toLocaleString('en-US')} orders in flight, reseller on ${options.dialect}` +
      `${options.quick ? ' (quick)' : ''}, provider on sqlite`,
  );
  if (loadAtStart > 0.5) {
    progress(`warning: the machine is busy (load ${loadAtStart.toFixed(1)}): numbers will be noisy`);
  }
  const providerDb = await createBenchDatabase('sqlite', options.postgresUrl, 'sync_provider');
  let resellerDb: BenchDatabase | null = null;
  let provider: ChildServer | null = null;
  try {
    resellerDb = await createBenchDatabase(options.dialect, options.postgresUrl, 'sync_reseller');
    const seedStarted = performance.now();
    progress(`seeding the provider (sqlite): ${orders.toLocaleString('en-US')} orders…`);
    const { apiKey } = await seedProvider(providerDb, orders, progress);
    progress('starting the provider: smmkit serve --no-worker…');
    provider = await startSmmkitServer(providerDb, null);
    progress(
      `seeding the reseller (${options.dialect}): ${orders.toLocaleString('en-US')} orders in flight…`,
    );
    await seedReseller(resellerDb, orders, { url: `${provider.url}/api/v2`, apiKey }, progress);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    progress('syncing: the worker runs syncOrders until no order is due…');
    const profileDir = profileDirFor(options.cpuProfile, startedAt, 'sync-profile');
    const providerCpuBefore = provider.cpuSeconds();
    const worker = await runSyncWorker(resellerDb, SYNC_INTERVAL_MS, profileDir, progress);
    const providerCpuSeconds = provider.cpuSeconds() - providerCpuBefore;
    const providerPeakRssMb = provider.peakRssMb();
    const providerLog = provider.output();
    await provider.stop();

    progress('checking every order against the provider, and the ledger…');
    const check = await checkSync(providerDb, resellerDb);
    const report: SyncBenchReport = {
      startedAt,
      dialect: options.dialect,
      quick: options.quick,
      orders,
      machine: machineFacts(loadAtStart),
      seedSeconds,
      worker,
      providerCpuSeconds,
      providerPeakRssMb,
      check,
      providerLog,
      profileDir,
    };
    const figures = syncFigures(report);
    const failures = syncFailures(report, figures);
    progress('');
    progress(formatSyncReport(report, figures, failures));
    progress('');
    progress(`results: ${writeSyncReport(RESULTS_DIR, report, figures)}`);
    if (failures.length > 0) throw new Error(`sync benchmark failed: ${failures.join('; ')}`);
  } finally {
    await provider?.stop();
    await Promise.all([providerDb.drop(), resellerDb?.drop()]);
  }
}
