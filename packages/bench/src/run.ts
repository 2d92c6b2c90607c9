import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLedgerMismatches } from '@smmkit/server/bench-support';
import { loadAverage, machineFacts } from './machine.js';
import { type BenchDatabase, createBenchDatabase } from './bench-database.js';
import { CEILING_MODES, startFleet } from './fleet.js';
import { stopAllChildren } from './child-server.js';
import { type BenchOptions, OptionsError, USAGE, parseBenchOptions } from './options.js';
import { RESULTS_DIR } from './paths.js';
import { prepareDatabase, withDatabase } from './prepare-database.js';
import { type BenchReport, evaluateTargets, formatReport, writeReport } from './report.js';
import { measurePaired } from './paired-runs.js';
import { runAbBenchmark } from './ab-run.js';
import { runDispatchBenchmark } from './dispatch-run.js';
import { runScaleBenchmark } from './scale-run.js';
import { runSyncBenchmark } from './sync-run.js';
import { runWebhooksBenchmark } from './webhooks-run.js';
import type { RequestBodies } from './request-bodies.js';
import type { CeilingMode } from './scenarios.js';
import { WrkRunner, wrkAvailable } from './wrk.js';

const progress = (line: string) => console.log(line);
const count = (value: number) => value.toLocaleString('en-US');

/** Starts every server, measures, and reads what only a live process can tell (its peak memory). */
async function measureWithFleet(
  big: BenchDatabase,
  small: BenchDatabase,
  keysFile: string,
  bodies: RequestBodies,
  smallBodies: RequestBodies,
  runner: WrkRunner,
  options: BenchOptions,
  startedAt: string,
) {
  progress('starting the smmkit servers (big and small database) and the ceiling servers…');
  const fleet = await startFleet(big, small, keysFile, options, startedAt);
  try {
    progress('measuring each scenario, with its ceiling right after it, at each connection count…');
    const results = await measurePaired(fleet, bodies, smallBodies, runner, options, progress);
    return {
      results,
      serverPeakRssMb: fleet.smmkit.peakRssMb(),
      ceilingPeakRssMb: Object.fromEntries(
        CEILING_MODES.map((mode) => [mode, fleet.ceilings[mode].peakRssMb()]),
      ) as Record<CeilingMode, number>,
      serverLog: [fleet.smmkit, fleet.smallSmmkit, ...fleet.variants.map((v) => v.server)]
        .map((server) => server.output())
        .join(''),
      profileDir: fleet.profileDir,
    };
  } finally {
    await fleet.stop();
  }
}

async function benchmark(options: BenchOptions, workDir: string): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  const { sizes } = options;
  progress(
    `smmkit bench: ${options.dialect}${options.quick ? ' (quick)' : ''}, ${count(sizes.users)} users, ` +
      `${count(sizes.services)} services, ${count(sizes.orders)} orders; ${options.seconds} s per run at 1 and 64 connections` +
      (options.servers === 2 ? '; also on two servers' : '') +
      (options.compareRateLimit ? '; also with rate limits on' : ''),
  );
  if (loadAtStart > 0.5) {
    progress(`warning: the machine is busy (load ${loadAtStart.toFixed(1)}): numbers will be noisy`);
  }
  const runner = new WrkRunner(workDir);

  const big = await createBenchDatabase(options.dialect, options.postgresUrl, 'big');
  const small = await createBenchDatabase(options.dialect, options.postgresUrl, 'small').catch(
    async (error: unknown) => {
      await big.drop();
      throw error;
    },
  );
  try {
    const { seeded, bodies } = await prepareDatabase(big, sizes, progress);
    const { bodies: smallBodies } = await prepareDatabase(
      small,
      { ...sizes, orders: options.smallOrders },
      progress,
    );
    const keysFile = join(workDir, 'keys.json');
    writeFileSync(keysFile, JSON.stringify(seeded.keys));

    const measured = await measureWithFleet(
      big,
      small,
      keysFile,
      bodies,
      smallBodies,
      runner,
      options,
      startedAt,
    );
    const mismatches = await withDatabase(big, async (q) => (await findLedgerMismatches(q)).length);

    const report: BenchReport = {
      startedAt,
      dialect: options.dialect,
      quick: options.quick,
      machine: machineFacts(loadAtStart),
      sizes,
      seedSeconds: seeded.seconds,
      timing: { seconds: options.seconds, warmupSeconds: options.warmupSeconds },
      scenarios: measured.results.scenarios,
      fixedJson: measured.results.fixedJson,
      smallDatabase: { orders: options.smallOrders, status: measured.results.smallStatus },
      serverPeakRssMb: measured.serverPeakRssMb,
      ceilingPeakRssMb: measured.ceilingPeakRssMb,
      statusManyOwnShare: bodies.statusManyOwnShare,
      refillStatusManyOwnShare: bodies.refillStatusManyOwnShare,
      ledgerMismatchesAfterRun: mismatches,
      serverLog: measured.serverLog,
      profileDir: measured.profileDir,
    };
    const targets = evaluateTargets(report);
    progress('');
    progress(formatReport(report, targets));
    progress('');
    progress(`results: ${writeReport(RESULTS_DIR, report, targets)}`);
  } finally {
    await Promise.all([big.drop(), small.drop()]);
  }
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    console.error(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if ((options.mode === 'http' || options.mode === 'scale' || options.mode === 'ab') && !wrkAvailable()) {
    console.error(
      'error: the benchmark drives load with wrk, which is not installed.\n  Debian/Ubuntu: apt-get install wrk\n  macOS: brew install wrk',
    );
    return 1;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'smmkit-bench-wrk-'));
  // Ctrl-C: stop the servers so the pending step fails and every `finally` removes its database.
  process.once('SIGINT', () => {
    progress('interrupted: stopping servers and removing the databases (Ctrl-C again quits at once)…');
    stopAllChildren();
  });
  try {
    if (options.mode === 'sync') await runSyncBenchmark(options, progress);
    else if (options.mode === 'webhooks') await runWebhooksBenchmark(options, progress);
    else if (options.mode === 'dispatch') await runDispatchBenchmark(options, progress);
    else if (options.mode === 'scale') await runScaleBenchmark(options, workDir, progress);
    else if (options.mode === 'ab') await runAbBenchmark(options, workDir, progress);
    else await benchmark(options, workDir);
    return 0;
  } catch (error) {
    // Every failure here (no database, a server that will not start, wrong answers) says what it is.
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    stopAllChildren();
    rmSync(workDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
