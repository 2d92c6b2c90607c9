import type { MachineFacts } from './machine.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dialect } from '@smmkit/server/bench-support';
import type { DispatchCheck } from './dispatch-check.js';

/** The target: orders handed to the provider per second by one worker process. */
export const MIN_ORDERS_PER_SECOND = 1_000;

/** One measured pass: N queued orders, `workers` worker processes, until every order is sent. */
export interface DispatchRun {
  readonly workers: number;
  readonly orders: number;
  /** From the first order's arrival at the provider to the last one recorded sent here. */
  readonly dispatchSeconds: number;
  /** From starting the worker processes until every order was seen sent (start-up included). */
  readonly wallSeconds: number;
  /** CPU (user + system) of the worker processes and of the provider, from the first claim to the end. */
  readonly workerCpuSeconds: number;
  readonly providerCpuSeconds: number;
  readonly workerPeakRssMb: number;
  /** Lines the workers logged at warn or error level (the first few): must be none. */
  readonly workerWarnings: number;
  readonly workerWarningSamples: readonly string[];
  readonly providerLog: string;
  readonly check: DispatchCheck;
}

export interface DispatchBenchReport {
  readonly startedAt: string;
  readonly dialect: Dialect;
  readonly quick: boolean;
  readonly orders: number;
  readonly machine: MachineFacts;
  readonly runs: readonly DispatchRun[];
}

export interface DispatchFigures {
  readonly ordersPerSecond: number;
  readonly workerCpuMsPer1000: number;
  readonly providerCpuMsPer1000: number;
}

export function dispatchFigures(run: DispatchRun): DispatchFigures {
  return {
    ordersPerSecond: run.orders / run.dispatchSeconds,
    workerCpuMsPer1000: (run.workerCpuSeconds * 1e6) / run.orders,
    providerCpuMsPer1000: (run.providerCpuSeconds * 1e6) / run.orders,
  };
}

/** What must hold for a pass to count: every order sent exactly once, and every ledger adding up. */
export function dispatchRunFailures(run: DispatchRun): string[] {
  const { check, orders, workers } = run;
  const pass = `${workers} worker${workers === 1 ? '' : 's'}`;
  const failures: string[] = [];
  if (check.sent !== orders) failures.push(`${pass}: ${check.sent} of ${orders} orders sent`);
  if (check.providerOrders !== orders) {
    failures.push(`${pass}: the provider holds ${check.providerOrders} orders, not ${orders}`);
  }
  if (check.distinctProviderOrderIds !== check.sent) {
    failures.push(
      `${pass}: ${check.distinctProviderOrderIds} distinct provider order ids for ${check.sent} orders`,
    );
  }
  if (check.ledgerMismatches > 0) {
    failures.push(`${pass}: ${check.ledgerMismatches} balance(s) differ from their ledger sum`);
  }
  if (check.problems > 0) failures.push(`${pass}: ${check.problems} problem(s) found by the check`);
  if (run.workerWarnings > 0) failures.push(`${pass}: the workers logged ${run.workerWarnings} warning(s)`);
  return failures;
}

export interface DispatchTarget {
  readonly name: string;
  readonly pass: boolean;
  readonly measured: string;
  readonly wanted: string;
}

export function dispatchTargets(report: DispatchBenchReport): DispatchTarget[] {
  const targets: DispatchTarget[] = [];
  const one = report.runs.find((run) => run.workers === 1);
  if (one) {
    const rate = dispatchFigures(one).ordersPerSecond;
    targets.push({
      name: 'orders dispatched per second, one worker',
      pass: rate >= MIN_ORDERS_PER_SECOND,
      measured: count(rate),
      wanted: `>= ${count(MIN_ORDERS_PER_SECOND)}`,
    });
  }
  for (const run of report.runs) {
    const failures = dispatchRunFailures(run);
    targets.push({
      name: `every order sent exactly once, ledgers add up, ${run.workers} worker${run.workers === 1 ? '' : 's'}`,
      pass: failures.length === 0,
      measured: failures.length === 0 ? 'yes' : failures.join('; '),
      wanted: 'yes',
    });
  }
  return targets;
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');

export function formatDispatchReport(
  report: DispatchBenchReport,
  targets: readonly DispatchTarget[],
): string {
  const { machine } = report;
  const out = [
    `smmkit dispatch benchmark: reseller on ${report.dialect} (real \`smmkit worker\` processes), provider on sqlite ` +
      `(a real \`smmkit serve --no-worker\`, API v2 over HTTP); ${count(report.orders)} queued orders; ` +
      `${machine.cpus} CPUs, load ${machine.loadAverageAtStart.toFixed(1)} -> ${machine.loadAverageAtEnd.toFixed(1)}; ` +
      `synchronous=${machine.sqliteSynchronous}`,
    '',
  ];
  for (const run of report.runs) {
    const figures = dispatchFigures(run);
    const { check } = run;
    out.push(
      `${run.workers} worker${run.workers === 1 ? ': ' : 's:'}  ${count(check.sent)} orders sent in ${run.dispatchSeconds.toFixed(2)} s ` +
        `(first arrival to last record; ${run.wallSeconds.toFixed(2)} s from the workers' start): ` +
        `${count(figures.ordersPerSecond)} orders/s`,
      `            worker CPU ${run.workerCpuSeconds.toFixed(2)} s: ${figures.workerCpuMsPer1000.toFixed(0)} ms per 1,000 orders ` +
        `(peak RSS ${run.workerPeakRssMb.toFixed(0)} MB); provider CPU ${run.providerCpuSeconds.toFixed(2)} s: ` +
        `${figures.providerCpuMsPer1000.toFixed(0)} ms per 1,000 orders`,
      `            checks: the provider holds ${count(check.providerOrders)} orders, ${count(check.distinctProviderOrderIds)} ` +
        `distinct ids recorded here, ${count(check.problems)} problem(s); ledger: ` +
        (check.ledgerMismatches === 0
          ? 'every balance equals its ledger sum'
          : `${check.ledgerMismatches} mismatch(es)`),
    );
    if (check.problemSamples.length > 0) out.push(...check.problemSamples.map((p) => `              ${p}`));
    if (run.workerWarningSamples.length > 0) {
      out.push('            worker warnings:', ...run.workerWarningSamples.map((w) => `              ${w}`));
    }
    if (run.providerLog.trim() !== '') {
      out.push('            provider output:', run.providerLog.trim().slice(0, 2000));
    }
  }
  out.push(
    '',
    'targets:',
    ...targets.map((t) => `  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured} (${t.wanted})`),
  );
  return out.join('\n');
}

/** bench-results/<timestamp>-dispatch-<db>.json; the folder is gitignored. */
export function writeDispatchReport(
  dir: string,
  report: DispatchBenchReport,
  targets: readonly DispatchTarget[],
) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.startedAt.replace(/[:.]/g, '-')}-dispatch-${report.dialect}.json`);
  const figures = report.runs.map(dispatchFigures);
  writeFileSync(file, `${JSON.stringify({ ...report, figures, targets })}\n`);
  return file;
}
