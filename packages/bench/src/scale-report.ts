import type { MachineFacts } from './machine.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dialect } from '@smmkit/server/bench-support';
import { MEMORY_PHASE_COLUMNS, type PhaseMemory, memoryPhaseRows } from './process-memory.js';
import type { Run } from './measure.js';
import type { TargetResult } from './report.js';
import type { WrkResult } from './wrk.js';

/** One API scenario at the big and the small database, each at 1 and 64 connections. */
export interface ScaleApiResult {
  readonly name: string;
  readonly big: readonly Run[];
  readonly small: readonly Run[];
}

/** One web panel read (an order page, the dashboard) at the big database. */
export interface ScaleWebResult {
  readonly name: string;
  readonly path: string;
  readonly runs: readonly WrkResult[];
  /** p99 at `targetConnections` must stay within `p99LimitMs`. */
  readonly targetConnections: number;
  readonly p99LimitMs: number;
}

/** `add` at 8 connections while `smmkit migrate` applies a migration again on the big orders table. */
export interface MigrationStall {
  /** Which migration, e.g. "migration 0025 (orders (status, id) index)". */
  readonly migration: string;
  /** From starting `smmkit migrate` to the end of the wrk slice it finished in. */
  readonly migrationSeconds: number;
  readonly addRequests: number;
  readonly addErrors: number;
  /**
   * Adds the server answered with HTTP 500 meanwhile (its /metrics): on SQLite an add waits at most
   * the busy timeout (5 s) for the migration's write lock, and one answered after wrk's slice ended
   * is in no wrk count. Null: /metrics did not answer.
   */
  readonly serverFailedAdds: number | null;
  readonly longestAddMs: number;
  readonly p99Ms: number;
}

export interface ScaleReport {
  readonly startedAt: string;
  readonly dialect: Dialect;
  readonly orders: number;
  readonly smallOrders: number;
  readonly ledgerEntries: number;
  readonly seedSeconds: number;
  readonly smallSeedSeconds: number;
  readonly seconds: number;
  readonly machine: MachineFacts;
  readonly api: readonly ScaleApiResult[];
  readonly web: readonly ScaleWebResult[];
  /** Share of the 100 ids of `status x100` that are the caller's own, at each size. */
  readonly statusManyOwnShare: { readonly big: number; readonly small: number };
  readonly migrationStalls: readonly MigrationStall[];
  /**
   * How long each of a few `/metrics` scrapes of the big server took, in ms, one after another;
   * absent from reports written before they were measured.
   */
  readonly metricsScrapeMs?: readonly number[];
  readonly serverPeakRssMb: number;
  /** The big server's memory after each phase; absent from reports written before it was kept. */
  readonly memoryByPhase?: readonly PhaseMemory[];
  readonly ledgerMismatchesAfterRun: number;
  /** Where the kept status counts, day totals and ledger sums by kind differ from a scan after the run. */
  readonly keptTotalMismatchesAfterRun: readonly string[];
  readonly serverLog: string;
}

/**
 * A `/metrics` scrape of the big server answers within this (Prometheus gives up after 10 s by
 * default; before migration 0029 a scrape at ten million orders took 11 to 33 s).
 */
export const METRICS_SCRAPE_LIMIT_MS = 1_000;

/** The API at N orders keeps this share of its throughput at the small database (issue 17 item 4: within 20%). */
export const SCALE_API_SHARE = 0.8;
export const SCALE_RSS_LIMIT_MB = 300;
/** PostgreSQL: a migration on the orders table (an index, a backfill scan) holds `add` up at most this long. */
export const MIGRATION_STALL_LIMIT_MS = 1000;

const count = (value: number) => value.toLocaleString('en-US');
const percent = (value: number) => (Number.isNaN(value) ? 'n/a' : `${(value * 100).toFixed(1)}%`);
const at = <T extends { connections: number }>(runs: readonly T[], connections: number) =>
  runs.find((run) => run.connections === connections);

export function evaluateScaleTargets(report: ScaleReport): TargetResult[] {
  const targets: TargetResult[] = [];
  for (const scenario of report.api) {
    const big = at(scenario.big, 64);
    const small = at(scenario.small, 64);
    const share = big && small ? big.requestsPerSecond / small.requestsPerSecond : Number.NaN;
    targets.push({
      name: `${scenario.name}: ${count(report.orders)} / ${count(report.smallOrders)} orders (c64 req/s)`,
      measured: percent(share),
      wanted: `>= ${(SCALE_API_SHARE * 100).toFixed(0)}%`,
      pass: share >= SCALE_API_SHARE,
    });
  }
  for (const web of report.web) {
    const run = at(web.runs, web.targetConnections);
    if (!run) continue;
    targets.push({
      name: `${web.name} p99 (c${web.targetConnections})`,
      measured: `${run.p99Ms.toFixed(1)} ms`,
      wanted: `<= ${web.p99LimitMs} ms`,
      pass: run.p99Ms <= web.p99LimitMs && run.unexpected + run.socketErrors === 0,
    });
  }
  // SQLite migrates under its one write lock: the stall is the migration, reported, not a target.
  if (report.dialect === 'postgres') {
    for (const stall of report.migrationStalls) {
      targets.push({
        name: `longest add while ${stall.migration} runs (c8)`,
        measured: `${stall.longestAddMs.toFixed(0)} ms`,
        wanted: `<= ${MIGRATION_STALL_LIMIT_MS} ms`,
        pass:
          stall.longestAddMs <= MIGRATION_STALL_LIMIT_MS &&
          stall.addErrors === 0 &&
          (stall.serverFailedAdds ?? 0) === 0,
      });
    }
  }
  const scrapes = report.metricsScrapeMs ?? [];
  if (scrapes.length > 0) {
    const slowest = Math.max(...scrapes);
    targets.push({
      name: `slowest of ${scrapes.length} /metrics scrapes at ${count(report.orders)} orders`,
      measured: `${slowest.toFixed(0)} ms`,
      wanted: `<= ${METRICS_SCRAPE_LIMIT_MS} ms`,
      pass: slowest <= METRICS_SCRAPE_LIMIT_MS,
    });
  }
  targets.push({
    name: 'kept order counts, day totals and ledger sums after the run equal a scan',
    measured: `${report.keptTotalMismatchesAfterRun.length} differences`,
    wanted: '0',
    pass: report.keptTotalMismatchesAfterRun.length === 0,
  });
  targets.push({
    name: `server peak RSS with ${count(report.orders)} orders`,
    measured: `${report.serverPeakRssMb.toFixed(0)} MB`,
    wanted: `<= ${SCALE_RSS_LIMIT_MB} MB`,
    pass: report.serverPeakRssMb <= SCALE_RSS_LIMIT_MB,
  });
  return targets;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const cells = (run: WrkResult) => [
  String(run.connections),
  count(Math.round(run.requestsPerSecond)),
  run.p50Ms.toFixed(2),
  run.p99Ms.toFixed(2),
  run.maxMs.toFixed(1),
  count(run.unexpected + run.socketErrors),
];

/**
 * The API's 64-connection rounds at both sizes (measured in the same rounds, alternating): each
 * round's throughput and the server's CPU per answer, and the big database's share of the small's.
 * The same code answering the same requests costs the same CPU, so a gap that holds in every round
 * is the database's size, and one round's outlier the machine's.
 */
export function scaleRoundRows(report: ScaleReport): string[][] {
  return report.api.flatMap((scenario) => {
    const big = at(scenario.big, 64)?.rounds ?? [];
    const small = at(scenario.small, 64)?.rounds ?? [];
    return big.map((round, i) => {
      const other = small[i];
      return [
        scenario.name,
        String(i + 1),
        count(Math.round(round.requestsPerSecond)),
        round.cpuMicrosPerRequest.toFixed(0),
        other ? count(Math.round(other.requestsPerSecond)) : 'n/a',
        other ? other.cpuMicrosPerRequest.toFixed(0) : 'n/a',
        other ? percent(round.requestsPerSecond / other.requestsPerSecond) : 'n/a',
      ];
    });
  });
}

export function formatScaleReport(report: ScaleReport, targets: readonly TargetResult[]): string {
  const apiRows = report.api.flatMap((scenario) => [
    ...scenario.big.map((run) => [scenario.name, count(report.orders), ...cells(run)]),
    ...scenario.small.map((run) => [scenario.name, count(report.smallOrders), ...cells(run)]),
  ]);
  const webRows = report.web.flatMap((web) =>
    web.runs.map((run) => [`${web.name} (${web.path})`, count(report.orders), ...cells(run)]),
  );
  const header = ['scenario', 'orders', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors'];
  const roundRows = scaleRoundRows(report);
  const memoryRows = memoryPhaseRows(report.memoryByPhase ?? []);
  const big = count(report.orders);
  const small = count(report.smallOrders);
  const { machine } = report;
  return [
    `smmkit scale benchmark: ${report.dialect}, ${count(report.orders)} orders, ${count(report.ledgerEntries)} ledger ` +
      `entries (seeded in ${report.seedSeconds.toFixed(0)} s; ${count(report.smallOrders)} in ` +
      `${report.smallSeedSeconds.toFixed(0)} s); ${report.seconds} s per run; ${machine.cpus} CPUs, load ` +
      `${machine.loadAverageAtStart.toFixed(1)} -> ${machine.loadAverageAtEnd.toFixed(1)}`,
    '',
    table(header, [...apiRows, ...webRows]),
    '',
    ...(roundRows.length === 0
      ? []
      : [
          table(
            [
              '64 connections, by round',
              'round',
              `req/s at ${big}`,
              'cpu us/req',
              `req/s at ${small}`,
              'cpu us/req',
              'share',
            ],
            roundRows,
          ),
          '',
        ]),
    ...report.migrationStalls.map(
      (stall) =>
        `${stall.migration} while adding at 8 connections: done within ${stall.migrationSeconds.toFixed(1)} s; ` +
        `${count(stall.addRequests)} adds, longest ${stall.longestAddMs.toFixed(0)} ms, ` +
        `p99 ${stall.p99Ms.toFixed(1)} ms, ${count(stall.addErrors)} errors, ` +
        `${stall.serverFailedAdds === null ? 'server failures unknown' : `${count(stall.serverFailedAdds)} failed in the server (HTTP 500)`}`,
    ),
    `status x100: ${percent(report.statusManyOwnShare.big)} of the ids are the caller's own at ` +
      `${count(report.orders)} orders, ${percent(report.statusManyOwnShare.small)} at ${count(report.smallOrders)}`,
    ...(report.metricsScrapeMs === undefined || report.metricsScrapeMs.length === 0
      ? []
      : [
          `/metrics scrapes at ${count(report.orders)} orders, one after another: ` +
            `${report.metricsScrapeMs.map((ms) => ms.toFixed(0)).join(', ')} ms`,
        ]),
    `server peak RSS (VmHWM) at ${count(report.orders)} orders: ${report.serverPeakRssMb.toFixed(0)} MB`,
    ...(memoryRows.length === 0
      ? []
      : [
          '',
          table([`memory of the ${big}-order server (MB), after`, ...MEMORY_PHASE_COLUMNS], memoryRows),
          '',
        ]),
    `ledger after the run: ${
      report.ledgerMismatchesAfterRun === 0
        ? 'every balance equals its ledger sum'
        : `${report.ledgerMismatchesAfterRun} balance(s) differ from their ledger sum`
    }`,
    ...report.keptTotalMismatchesAfterRun.slice(0, 20).map((line) => `kept totals differ: ${line}`),
    'errors = answers without the success key (or not HTTP 200) + socket errors',
    '',
    'targets:',
    ...targets.map((t) => `  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured} (${t.wanted})`),
    ...(report.serverLog.trim() === ''
      ? []
      : ['', 'server output (warnings and errors):', report.serverLog.trim().slice(0, 4000)]),
  ].join('\n');
}

/** bench-results/<timestamp>-scale-<db>.json; the folder is gitignored. */
export function writeScaleReport(dir: string, report: ScaleReport, targets: readonly TargetResult[]): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.startedAt.replace(/[:.]/g, '-')}-scale-${report.dialect}.json`);
  writeFileSync(file, `${JSON.stringify({ ...report, targets }, null, 2)}\n`);
  return file;
}
