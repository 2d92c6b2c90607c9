import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLedgerMismatches } from '@smmkit/server/bench-support';
import { type AbRound, type AbRun, formatAbMemory, formatAbSummary, summarizeAb } from './ab-report.js';
import { type BenchDatabase, createBenchDatabase } from './bench-database.js';
import type { ChildServer } from './child-server.js';
import { loadAverage, machineFacts } from './machine.js';
import { type Run, type Target, cpuMicrosPerRequest, measureOnce } from './measure.js';
import type { BenchOptions } from './options.js';
import { RESULTS_DIR } from './paths.js';
import { prepareDatabase, withDatabase } from './prepare-database.js';
import { processMemory } from './process-memory.js';
import { scenarioSlug, serverScenarios } from './scenarios.js';
import { startSmmkitServer } from './servers.js';
import { WrkRunner } from './wrk.js';

/** A/B runs are at the throughput connection count, where a change to the write path shows. */
const AB_CONNECTIONS = 64;

function abRun(run: Run): AbRun {
  return {
    requestsPerSecond: run.requestsPerSecond,
    p99Ms: run.p99Ms,
    // Microseconds per answer are milliseconds per 1,000.
    cpuMsPer1000: cpuMicrosPerRequest(run),
    faults: run.unexpected + run.socketErrors,
  };
}

/** The second copy: the seeded file (and a WAL, should the seeder have left one) as it is at rest. */
function copySqliteDatabase(from: BenchDatabase, to: BenchDatabase): void {
  if (from.sqliteFile === null || to.sqliteFile === null) throw new Error('ab copies SQLite databases only');
  for (const suffix of ['', '-wal']) {
    if (existsSync(from.sqliteFile + suffix)) copyFileSync(from.sqliteFile + suffix, to.sqliteFile + suffix);
  }
}

/**
 * `npm run bench -- ab --env NAME=VALUE`: one scenario on two servers, A as configured and B with
 * `--env` added, each on its own copy of one seeded database, measured in alternating rounds (A
 * then B, then B then A…). Afterwards both databases' balances are checked against their ledgers.
 */
export async function runAbBenchmark(
  options: BenchOptions,
  workDir: string,
  progress: (line: string) => void,
): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  const slug = options.scenarios?.[0] ?? 'add';
  if (loadAtStart > 0.5)
    progress(`warning: the machine is busy (load ${loadAtStart.toFixed(1)}): expect a wide spread of ratios`);
  const databases: BenchDatabase[] = [];
  const started: ChildServer[] = [];
  try {
    const a = await createBenchDatabase('sqlite', options.postgresUrl, 'abA');
    databases.push(a);
    const { bodies } = await prepareDatabase(a, options.sizes, progress);
    const b = await createBenchDatabase('sqlite', options.postgresUrl, 'abB');
    databases.push(b);
    copySqliteDatabase(a, b);
    const scenario = serverScenarios(bodies).find((candidate) => scenarioSlug(candidate.name) === slug);
    if (!scenario) throw new Error(`no scenario ${slug}`);

    progress('starting server A (as configured) and server B (with --env)…');
    const serverA = await startSmmkitServer(a, null);
    started.push(serverA);
    const serverB = await startSmmkitServer(b, null, options.abEnv);
    started.push(serverB);
    const runner = new WrkRunner(workDir);
    const servers = { a: serverA, b: serverB };
    const target = (side: 'a' | 'b', label: string): Target => ({
      name: `${scenario.name} (${side.toUpperCase()})`,
      label: `ab-${side}-${label}`,
      server: servers[side],
      load: scenario.load,
    });
    // Each round's run follows a discarded one of its own (measureOnce): no separate warm-up first.
    const rounds: AbRound[] = [];
    for (let round = 1; round <= options.abRounds; round++) {
      const order = round % 2 === 1 ? (['a', 'b'] as const) : (['b', 'a'] as const);
      const runs: Partial<Record<'a' | 'b', Run>> = {};
      for (const side of order) {
        runs[side] = await measureOnce(
          runner,
          target(side, `r${round}`),
          AB_CONNECTIONS,
          options.seconds,
          options.warmupSeconds,
        );
      }
      if (!runs.a || !runs.b) throw new Error('a round measured one side only');
      rounds.push({ a: abRun(runs.a), b: abRun(runs.b), first: order[0] });
      const ratio = runs.b.requestsPerSecond / runs.a.requestsPerSecond;
      progress(
        `  round ${round}: A ${Math.round(runs.a.requestsPerSecond)} req/s, B ${Math.round(runs.b.requestsPerSecond)} req/s, B/A ${ratio.toFixed(2)}`,
      );
    }
    const memory = { a: processMemory(serverA.pid), b: processMemory(serverB.pid) };
    for (const server of started.splice(0)) await server.stop();

    const mismatches = {
      a: await withDatabase(a, async (q) => (await findLedgerMismatches(q)).length),
      b: await withDatabase(b, async (q) => (await findLedgerMismatches(q)).length),
    };
    const summary = summarizeAb(rounds);
    progress('');
    progress(formatAbSummary(scenario.name, options.abEnv, rounds, summary));
    progress(formatAbMemory(memory.a, memory.b));
    progress(
      mismatches.a + mismatches.b === 0
        ? 'ledger after the runs: every balance equals its ledger sum, on both databases'
        : `ledger after the runs: ${mismatches.a} balances differ from their ledger on A, ${mismatches.b} on B`,
    );
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${startedAt.replace(/[:.]/g, '-')}-ab.json`);
    const report = {
      startedAt,
      mode: 'ab',
      scenario: scenario.name,
      env: options.abEnv,
      machine: machineFacts(loadAtStart),
      sizes: options.sizes,
      seconds: options.seconds,
      rounds,
      summary,
      memory,
      ledgerMismatchesAfterRun: mismatches,
    };
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    progress(`results: ${file}`);
    if (mismatches.a + mismatches.b > 0) throw new Error('a balance differs from its ledger after the runs');
    if (summary.faults > 0) throw new Error(`${summary.faults} answers were not successes`);
  } finally {
    for (const server of started) await server.stop();
    for (const database of databases) await database.drop();
  }
}
