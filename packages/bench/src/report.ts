import type { MachineFacts } from './machine.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dialect } from '@smmkit/server/bench-support';
import { CONNECTIONS, type RoundFigures, type Run, type Timing } from './measure.js';
import type { SeedSizes } from './options.js';
import type { ScenarioResult } from './paired-runs.js';
import { MEMORY_PHASE_COLUMNS, type PhaseMemory, memoryPhaseRows } from './process-memory.js';
import { CEILING_LABELS, type CeilingMode } from './scenarios.js';

export interface BenchReport {
  readonly startedAt: string;
  readonly dialect: Dialect;
  readonly quick: boolean;
  readonly machine: MachineFacts;
  readonly sizes: SeedSizes;
  readonly seedSeconds: number;
  readonly timing: Timing;
  readonly scenarios: readonly ScenarioResult[];
  readonly fixedJson: readonly Run[];
  readonly smallDatabase: { readonly orders: number; readonly status: readonly Run[] };
  readonly serverPeakRssMb: number;
  readonly ceilingPeakRssMb: Readonly<Record<CeilingMode, number>>;
  readonly statusManyOwnShare: number;
  readonly refillStatusManyOwnShare: number;
  readonly ledgerMismatchesAfterRun: number;
  readonly serverLog: string;
  readonly profileDir: string | null;
}

export interface TargetResult {
  readonly name: string;
  readonly measured: string;
  readonly wanted: string;
  readonly pass: boolean;
}

const RATIO_TARGETS: readonly { scenario: string; share: number }[] = [
  { scenario: 'status', share: 0.6 },
  { scenario: 'services', share: 0.6 },
  { scenario: 'add', share: 0.5 },
];
const P99_LIMIT_MS = 25;
/** Each scenario's p99 at most this many times its ceiling's p99 in the same run (c64). */
const P99_VS_CEILING: readonly { scenario: string; factor: number }[] = [
  { scenario: 'status', factor: 1.5 },
  { scenario: 'balance', factor: 1.5 },
  { scenario: 'services', factor: 1.5 },
  { scenario: 'add', factor: 3 },
];
const RSS_LIMIT_MB = 300;
const SMALL_DATABASE_SHARE = 0.8;
const MANY_IDS_SHARE = 0.8;
const MANY_IDS_P99_FACTOR = 2;

const at = (runs: readonly Run[], connections: number): Run | undefined =>
  runs[CONNECTIONS.indexOf(connections as (typeof CONNECTIONS)[number])];

function share(own: Run | undefined, other: Run | undefined): number {
  return own && other ? own.requestsPerSecond / other.requestsPerSecond : Number.NaN;
}

// Targets show a decimal, so a 59.6% never reads as a passed 60%.
const percent = (value: number, digits = 0) =>
  Number.isNaN(value) ? 'n/a' : `${(value * 100).toFixed(digits)}%`;
const perSecond = (value: number) => Math.round(value).toLocaleString('en-US');
const count = (value: number) => value.toLocaleString('en-US');

/** The targets, at 64 connections. Reported, never fatal: a benchmark informs. */
export function evaluateTargets(report: BenchReport): TargetResult[] {
  const targets: TargetResult[] = [];
  const scenario = (name: string) => report.scenarios.find((s) => s.name === name);
  for (const { scenario: name, share: wanted } of RATIO_TARGETS) {
    const found = scenario(name);
    if (!found) continue;
    const value = share(at(found.runs, 64), at(found.ceilingRuns, 64));
    targets.push({
      name: `${name} vs ${CEILING_LABELS[found.ceiling]} ceiling (c64)`,
      measured: percent(value, 1),
      wanted: `>= ${percent(wanted)}`,
      pass: value >= wanted,
    });
  }
  for (const { scenario: name } of RATIO_TARGETS) {
    const found = scenario(name);
    const run = found && at(found.runs, 64);
    if (!run) continue;
    targets.push({
      name: `${name} p99 (c64)`,
      measured: `${run.p99Ms.toFixed(1)} ms`,
      wanted: `<= ${P99_LIMIT_MS} ms`,
      pass: run.p99Ms <= P99_LIMIT_MS,
    });
  }
  for (const { scenario: name, factor } of P99_VS_CEILING) {
    const found = scenario(name);
    const run = found && at(found.runs, 64);
    const ceiling = found && at(found.ceilingRuns, 64);
    if (!found || !run || !ceiling) continue;
    const tail = run.p99Ms / ceiling.p99Ms;
    targets.push({
      name: `${name} p99 / ${CEILING_LABELS[found.ceiling]} ceiling p99 (c64)`,
      measured: `${tail.toFixed(2)}x`,
      wanted: `<= ${factor}x`,
      pass: tail <= factor,
    });
  }
  // Many ids at once: throughput next to the raw 100-id read, and a tail at most twice its.
  for (const name of ['status x100', 'refill_status x100']) {
    const many = scenario(name);
    const manyRun = many && at(many.runs, 64);
    const manyCeiling = many && at(many.ceilingRuns, 64);
    if (!many || !manyRun || !manyCeiling) continue;
    const ratio = share(manyRun, manyCeiling);
    targets.push({
      name: `${name} vs ${CEILING_LABELS[many.ceiling]} ceiling (c64)`,
      measured: percent(ratio, 1),
      wanted: `>= ${percent(MANY_IDS_SHARE)}`,
      pass: ratio >= MANY_IDS_SHARE,
    });
    const tail = manyRun.p99Ms / manyCeiling.p99Ms;
    targets.push({
      name: `${name} p99 / its ceiling p99 (c64)`,
      measured: `${tail.toFixed(2)}x`,
      wanted: `<= ${MANY_IDS_P99_FACTOR}x`,
      pass: tail <= MANY_IDS_P99_FACTOR,
    });
  }
  targets.push({
    name: `server peak RSS with ${count(report.sizes.orders)} orders`,
    measured: `${report.serverPeakRssMb.toFixed(0)} MB`,
    wanted: `<= ${RSS_LIMIT_MB} MB`,
    pass: report.serverPeakRssMb <= RSS_LIMIT_MB,
  });
  const status = scenario('status');
  const value = share(status && at(status.runs, 64), at(report.smallDatabase.status, 64));
  // Not measured when `--scenario` left `status` out.
  if (status) {
    targets.push({
      name: `status with ${count(report.sizes.orders)} / with ${count(report.smallDatabase.orders)} orders (c64)`,
      measured: percent(value, 1),
      wanted: `>= ${percent(SMALL_DATABASE_SHARE)}`,
      pass: value >= SMALL_DATABASE_SHARE,
    });
  }
  return targets;
}

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  leftAligned: ReadonlySet<number>,
): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (leftAligned.has(i) ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** req/s, p50, p99, errors, cpu: the columns every run shows. */
function runCells(run: Run): string[] {
  return [
    perSecond(run.requestsPerSecond),
    run.p50Ms.toFixed(2),
    run.p99Ms.toFixed(2),
    count(run.unexpected + run.socketErrors),
    `${run.serverCpuPercent.toFixed(0)}%`,
  ];
}

function scenarioTable(report: BenchReport): string {
  const rows = report.scenarios.flatMap((scenario) =>
    scenario.runs.map((run, i) => {
      const ceiling = scenario.ceilingRuns[i];
      return [
        scenario.name,
        String(run.connections),
        ...runCells(run),
        CEILING_LABELS[scenario.ceiling],
        ceiling ? perSecond(ceiling.requestsPerSecond) : 'n/a',
        percent(share(run, ceiling)),
        ceiling ? ceiling.p99Ms.toFixed(2) : 'n/a',
        ceiling ? `${(run.p99Ms / ceiling.p99Ms).toFixed(1)}x` : 'n/a',
      ];
    }),
  );
  const small = report.smallDatabase.status.map((run) => [
    `status, ${count(report.smallDatabase.orders)} orders`,
    String(run.connections),
    ...runCells(run),
    '',
    '',
    '',
    '',
    '',
  ]);
  return table(
    [
      'scenario',
      'conns',
      'req/s',
      'p50 ms',
      'p99 ms',
      'errors',
      'cpu',
      'ceiling',
      'ceiling req/s',
      'ratio',
      'ceiling p99 ms',
      'p99 vs ceiling',
    ],
    [...rows, ...small],
    new Set([0, 7]),
  );
}

const ms = (value: number) => value.toFixed(1);
/** A histogram bucket's bound, ms: the requests took at most this (`+Inf`: beyond the last bound). */
const bound = (value: number | null | undefined) => {
  if (value === null || value === undefined) return 'n/a';
  return Number.isFinite(value) ? `<= ${Number(value.toPrecision(6))}` : '+Inf';
};

/**
 * Inside the smmkit server during each run (its /metrics): how late its event loop ran, how long
 * garbage collection paused it, and how long its handler took for the requests of the run (its own
 * duration histogram) — the evidence for where a p99 went.
 */
function runtimeTable(report: BenchReport): string {
  const named = [
    ...report.scenarios.map((scenario) => ({ name: scenario.name, runs: scenario.runs })),
    { name: `status, ${count(report.smallDatabase.orders)} orders`, runs: report.smallDatabase.status },
  ];
  const rows = named.flatMap(({ name, runs }) =>
    runs.flatMap((run) => {
      const runtime = run.runtime;
      if (runtime === null) return [];
      const seconds = run.requests / run.requestsPerSecond;
      return [
        [
          name,
          String(run.connections),
          run.p99Ms.toFixed(2),
          ms(runtime.loopLagP99Ms),
          ms(runtime.loopLagMaxMs),
          count(runtime.gcCount),
          ms(runtime.gcPauseMs),
          Number.isFinite(seconds) && seconds > 0 ? percent(runtime.gcPauseMs / 1000 / seconds, 1) : 'n/a',
          `${count(runtime.majorGcCount)} / ${ms(runtime.majorGcPauseMs)}`,
          bound(runtime.handledP99Ms),
          bound(runtime.handledMaxMs),
        ],
      ];
    }),
  );
  if (rows.length === 0) return '';
  return table(
    [
      'inside the server',
      'conns',
      'p99 ms',
      'loop lag p99 ms',
      'loop lag max ms',
      'GCs',
      'GC pause ms',
      'GC share',
      'major GCs / ms',
      'handled p99 ms',
      'handled max ms',
    ],
    rows,
    new Set([0]),
  );
}

function ceilingTable(report: BenchReport): string {
  // A variant (two servers, rate limit on) shares its scenario's ceiling runs: list them once.
  const ownCeilings = report.scenarios.filter(
    (scenario, i) => report.scenarios.findIndex((s) => s.ceilingRuns === scenario.ceilingRuns) === i,
  );
  const rows = [
    ...ownCeilings.flatMap((scenario) =>
      scenario.ceilingRuns.map((run) => [
        CEILING_LABELS[scenario.ceiling],
        scenario.name,
        String(run.connections),
        ...runCells(run),
      ]),
    ),
    ...report.fixedJson.map((run) => [
      CEILING_LABELS['fixed-json'],
      '(for scale)',
      String(run.connections),
      ...runCells(run),
    ]),
  ];
  return table(
    ['ceiling (bare node:http)', 'next to', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'cpu'],
    rows,
    new Set([0, 1]),
  );
}

/**
 * A scenario's tail next to its ceiling's at 64 connections, with the part of it its throughput
 * explains. wrk keeps every connection's request in flight, so an answer waits behind the other 63
 * (Little's law: latency = connections / throughput): a server at 68% of its ceiling's throughput
 * has a p50 about 1 / 0.68 = 1.47 times the ceiling's, whatever its tail. `p99BeyondP50` is what is
 * left: the p99 ratio over the p50 ratio, 1 when the two servers' latencies have the same shape.
 */
export interface TailAgainstThroughput {
  /** The p50 ratio the throughput alone gives: the ceiling's throughput over this one's. */
  readonly p50FromThroughput: number;
  readonly p50Ratio: number;
  readonly p99Ratio: number;
  readonly p99BeyondP50: number;
}

export function tailAgainstThroughput(
  run: Pick<Run, 'requestsPerSecond' | 'p50Ms' | 'p99Ms'>,
  ceiling: Pick<Run, 'requestsPerSecond' | 'p50Ms' | 'p99Ms'>,
): TailAgainstThroughput {
  const p50Ratio = run.p50Ms / ceiling.p50Ms;
  const p99Ratio = run.p99Ms / ceiling.p99Ms;
  return {
    p50FromThroughput: ceiling.requestsPerSecond / run.requestsPerSecond,
    p50Ratio,
    p99Ratio,
    p99BeyondP50: p99Ratio / p50Ratio,
  };
}

/** Each scenario's 64-connection tail split into what its throughput explains and the rest. */
function tailTable(report: BenchReport): string {
  const rows = report.scenarios.flatMap((scenario) => {
    const run = at(scenario.runs, 64);
    const ceiling = at(scenario.ceilingRuns, 64);
    if (!run || !ceiling) return [];
    const tail = tailAgainstThroughput(run, ceiling);
    return [
      [
        scenario.name,
        `${tail.p50FromThroughput.toFixed(2)}x`,
        `${tail.p50Ratio.toFixed(2)}x`,
        `${tail.p99Ratio.toFixed(2)}x`,
        `${tail.p99BeyondP50.toFixed(2)}x`,
      ],
    ];
  });
  if (rows.length === 0) return '';
  return table(
    // The throughput ratio itself is the scenario table's `ratio`.
    ['64 connections, vs ceiling', 'p50 from throughput', 'p50', 'p99', 'p99 beyond p50'],
    rows,
    new Set([0]),
  );
}

const micros = (round: RoundFigures): string => round.cpuMicrosPerRequest.toFixed(0);

/**
 * The 64-connection runs round by round (see `TAIL_ROUNDS`): each scenario's p99 next to its
 * ceiling's in the same round, so a burst that hit one round of one side shows as what it was.
 * The CPU each server spent per answer tells such a round apart: the same code answering the same
 * requests costs the same, unless the machine slowed the process down.
 */
function roundsTable(report: BenchReport): string {
  const rows = report.scenarios.flatMap((scenario) => {
    const own = at(scenario.runs, 64)?.rounds ?? [];
    const ceiling = at(scenario.ceilingRuns, 64)?.rounds ?? [];
    return own.map((round, i) => {
      const other = ceiling[i];
      return [
        scenario.name,
        String(i + 1),
        count(Math.round(round.requestsPerSecond)),
        round.p99Ms.toFixed(2),
        micros(round),
        other ? count(Math.round(other.requestsPerSecond)) : 'n/a',
        other ? other.p99Ms.toFixed(2) : 'n/a',
        other ? micros(other) : 'n/a',
        other ? `${(round.p99Ms / other.p99Ms).toFixed(2)}x` : 'n/a',
      ];
    });
  });
  if (rows.length === 0) return '';
  return table(
    [
      '64 connections, by round',
      'round',
      'req/s',
      'p99 ms',
      'cpu us/req',
      'ceiling req/s',
      'ceiling p99 ms',
      'ceiling cpu us/req',
      'p99 vs ceiling',
    ],
    rows,
    new Set([0]),
  );
}

/** How many `add` answers carried an order id, counted by wrk's Lua over every answer. */
function addSuccess(report: BenchReport): string[] {
  return report.scenarios
    .filter((scenario) => scenario.name === 'add')
    .map((scenario) => {
      const responses = scenario.runs.reduce((sum, run) => sum + run.responses, 0);
      const failed = scenario.runs.reduce((sum, run) => sum + run.unexpected, 0);
      const samples = scenario.sampleFailures.length === 0 ? 'all placed' : 'some failed (below)';
      return (
        `add success: ${percent(responses === 0 ? Number.NaN : (responses - failed) / responses, 2)} of ` +
        `${count(responses)} measured answers carried an order id; samples before and after: ${samples}`
      );
    });
}

/** The server's memory after each scenario, in the order they ran: where its peak rose. */
export function serverMemoryByScenario(report: Pick<BenchReport, 'scenarios'>): PhaseMemory[] {
  return report.scenarios.flatMap((scenario) =>
    scenario.serverMemoryAfter ? [{ phase: scenario.name, ...scenario.serverMemoryAfter }] : [],
  );
}

function memoryTable(report: BenchReport): string[] {
  const readings = serverMemoryByScenario(report);
  if (readings.length === 0) return [];
  return [
    '',
    table(['server memory (MB), after', ...MEMORY_PHASE_COLUMNS], memoryPhaseRows(readings), new Set([0])),
    '',
  ];
}

export function formatReport(report: BenchReport, targets: readonly TargetResult[]): string {
  const { sizes, machine } = report;
  const ceilingRss = Object.entries(report.ceilingPeakRssMb)
    .map(([mode, mb]) => `${mode} ${mb.toFixed(0)} MB`)
    .join(', ');
  const ledger =
    report.ledgerMismatchesAfterRun === 0
      ? 'every balance equals its ledger sum'
      : `${report.ledgerMismatchesAfterRun} balance(s) differ from their ledger sum`;
  const out = [
    `smmkit benchmark: ${report.dialect}, ${count(sizes.orders)} orders, ${count(sizes.users)} users, ` +
      `${count(sizes.services)} services; ${report.timing.seconds} s per run; ${machine.cpus} CPUs, ` +
      `load ${machine.loadAverageAtStart.toFixed(1)} -> ${machine.loadAverageAtEnd.toFixed(1)}` +
      (report.dialect === 'sqlite' ? `; synchronous=${machine.sqliteSynchronous}` : ''),
    '',
    scenarioTable(report),
    '',
    runtimeTable(report),
    '',
    roundsTable(report),
    '',
    tailTable(report),
    '',
    ceilingTable(report),
    '',
    `server peak RSS (VmHWM): ${report.serverPeakRssMb.toFixed(0)} MB; ceilings: ${ceilingRss}`,
    ...memoryTable(report),
    ...addSuccess(report),
    `status x100: ${percent(report.statusManyOwnShare)} of the ids are the caller's own, the rest answer "Incorrect order ID"; ` +
      `refill_status x100: ${percent(report.refillStatusManyOwnShare)} own, the rest "Refill not found"`,
    `ledger after the run: ${ledger}`,
    'errors = answers without the success key (API errors, non-200) + socket errors; ' +
      "cpu = the measured server's CPU time over wall time (100% = one core); loop lag = how late the " +
      "server's 10 ms event-loop timer fired (blocking); GC = pauses during the run (share of wall time); " +
      "p50 from throughput = the ceiling's throughput over the scenario's: with 64 requests always in flight, " +
      "the p50 ratio a throughput gap gives by itself (Little's law); p99 beyond p50 = the p99 ratio over the p50 ratio",
    '',
    'targets:',
    ...targets.map((t) => `  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured} (${t.wanted})`),
  ];
  const sampleFailures = report.scenarios.flatMap((s) => s.sampleFailures.map((f) => `  ${s.name}: ${f}`));
  if (sampleFailures.length > 0) out.push('', 'sample answers that were not successes:', ...sampleFailures);
  if (report.serverLog.trim() !== '') {
    out.push('', 'server output (warnings and errors):', report.serverLog.trim().slice(0, 4000));
  }
  if (report.profileDir !== null) out.push('', `CPU profile of the server: ${report.profileDir}`);
  return out.join('\n');
}

/** bench-results/<timestamp>-<db>.json; the folder is gitignored. */
export function writeReport(dir: string, report: BenchReport, targets: readonly TargetResult[]): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.startedAt.replace(/[:.]/g, '-')}-${report.dialect}.json`);
  writeFileSync(file, `${JSON.stringify({ ...report, targets }, null, 2)}\n`);
  return file;
}
