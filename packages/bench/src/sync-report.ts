import type { MachineFacts } from './machine.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Dialect, formatMoney } from '@smmkit/server/bench-support';
import type { SyncCheck } from './sync-check.js';
import type { SyncWorkerResult } from './sync-worker-process.js';

export interface SyncBenchReport {
  readonly startedAt: string;
  readonly dialect: Dialect;
  readonly quick: boolean;
  readonly orders: number;
  readonly machine: MachineFacts;
  readonly seedSeconds: number;
  readonly worker: SyncWorkerResult;
  /** The provider server's CPU time (user + system) while the worker ran. */
  readonly providerCpuSeconds: number;
  readonly providerPeakRssMb: number;
  readonly check: SyncCheck;
  readonly providerLog: string;
  readonly profileDir: string | null;
}

/** The issue's limit on provider requests per 1,000 orders synced. */
export const MAX_REQUESTS_PER_1000 = 10;

export interface SyncFigures {
  readonly ordersPerSecond: number;
  readonly statusRequests: number;
  readonly requestsPer1000: number;
  readonly workerCpuMsPer1000: number;
  readonly providerCpuMsPer1000: number;
  readonly meanRequestMs: number;
}

export function syncFigures(report: SyncBenchReport): SyncFigures {
  const { worker, orders } = report;
  const statusRequests = Object.entries(worker.providerCalls)
    .filter(([key]) => key.startsWith('status:'))
    .reduce((sum, [, calls]) => sum + calls, 0);
  const allCalls = Object.values(worker.providerCalls).reduce((sum, calls) => sum + calls, 0);
  return {
    ordersPerSecond: worker.checked / worker.wallSeconds,
    statusRequests,
    requestsPer1000: (allCalls / orders) * 1000,
    workerCpuMsPer1000: ((worker.cpuUserSeconds + worker.cpuSystemSeconds) * 1e6) / orders,
    providerCpuMsPer1000: (report.providerCpuSeconds * 1e6) / orders,
    meanRequestMs: statusRequests === 0 ? Number.NaN : (worker.providerCallSeconds * 1000) / statusRequests,
  };
}

/** What must hold for the run to count: the requests target and every correctness check. */
export function syncFailures(report: SyncBenchReport, figures: SyncFigures): string[] {
  const { worker, check, orders } = report;
  const failures: string[] = [];
  if (figures.requestsPer1000 > MAX_REQUESTS_PER_1000) {
    failures.push(`${figures.requestsPer1000.toFixed(2)} provider requests per 1,000 orders (limit 10)`);
  }
  if (worker.checked !== orders)
    failures.push(`the worker asked about ${worker.checked} orders, not ${orders}`);
  if (worker.requests !== figures.statusRequests) {
    failures.push(
      `syncOrders counted ${worker.requests} requests, the gateway saw ${figures.statusRequests}`,
    );
  }
  if (worker.failed > 0) failures.push(`${worker.failed} status request(s) failed`);
  if (worker.dueAfter > 0)
    failures.push(`${worker.dueAfter} order(s) still due after ${worker.passes} passes`);
  if (worker.warnings > 0) failures.push(`the worker logged ${worker.warnings} warning(s)`);
  if (worker.catalogSyncs.synced === 0) failures.push('the scheduled catalogue sync never ran');
  if (worker.catalogSyncs.failed > 0) {
    failures.push(`${worker.catalogSyncs.failed} scheduled catalogue sync(s) failed`);
  }
  if (check.orders !== orders) failures.push(`the reseller holds ${check.orders} orders, not ${orders}`);
  if (check.ledgerMismatches > 0) {
    failures.push(`${check.ledgerMismatches} balance(s) differ from their ledger sum`);
  }
  if (check.refundsPosted !== check.refundsExpected) {
    failures.push(`${check.refundsPosted} refunds posted, ${check.refundsExpected} owed`);
  }
  if (check.problems > 0) failures.push(`${check.problems} difference(s) between reseller and provider`);
  return failures;
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');

export function formatSyncReport(
  report: SyncBenchReport,
  figures: SyncFigures,
  failures: readonly string[],
): string {
  const { worker, check, machine, orders } = report;
  const cpu = worker.cpuUserSeconds + worker.cpuSystemSeconds;
  const target = figures.requestsPer1000 <= MAX_REQUESTS_PER_1000;
  const out = [
    `smmkit sync benchmark: reseller on ${report.dialect}, provider on sqlite (a real \`smmkit serve --no-worker\`); ` +
      `${count(orders)} orders in flight; ${machine.cpus} CPUs, load ${machine.loadAverageAtStart.toFixed(1)} -> ` +
      `${machine.loadAverageAtEnd.toFixed(1)}; synchronous=${machine.sqliteSynchronous}`,
    '',
    `orders synced:             ${count(worker.checked)} in ${worker.wallSeconds.toFixed(2)} s ` +
      `(${worker.passes} pass${worker.passes === 1 ? '' : 'es'}): ${count(figures.ordersPerSecond)} orders/s`,
    `provider requests:         ${count(figures.statusRequests)} status: ${figures.requestsPer1000.toFixed(2)} per 1,000 orders; ` +
      `mean ${figures.meanRequestMs.toFixed(1)} ms each (4 in flight)`,
    `worker CPU (user+system):  ${cpu.toFixed(2)} s (${worker.cpuUserSeconds.toFixed(2)} user, ` +
      `${worker.cpuSystemSeconds.toFixed(2)} system): ${figures.workerCpuMsPer1000.toFixed(0)} ms per 1,000 orders; ` +
      `${((cpu / worker.wallSeconds) * 100).toFixed(0)}% of one core; peak RSS ${worker.peakRssMb.toFixed(0)} MB`,
    `provider CPU meanwhile:    ${report.providerCpuSeconds.toFixed(2)} s: ${figures.providerCpuMsPer1000.toFixed(0)} ms per 1,000 orders; ` +
      `peak RSS ${report.providerPeakRssMb.toFixed(0)} MB`,
    `scheduled catalogue sync:  on (every 10 s, keep-markup): ${count(worker.catalogSyncs.synced)} sync(s) during ` +
      `the passes, ${count(worker.catalogSyncs.failed)} failed, ${worker.catalogSyncs.seconds.toFixed(2)} s in all`,
    `changes applied:           ${count(worker.changed)} status changes; ${count(check.refundsPosted)} refunds posted ` +
      `(${formatMoney(check.refundedUnits)}), ${count(check.refundsExpected)} owed`,
    `checks:                    ${count(check.finalAtProvider)} orders final at the provider; every order compared ` +
      `(status, remains, start count, refund, still followed or not): ${count(check.problems)} difference(s); ` +
      `ledger: ${check.ledgerMismatches === 0 ? 'every balance equals its ledger sum' : `${check.ledgerMismatches} mismatch(es)`}`,
    '',
    'targets:',
    `  ${target ? 'PASS' : 'FAIL'}  provider requests per 1,000 orders: ${figures.requestsPer1000.toFixed(2)} (<= ${MAX_REQUESTS_PER_1000})`,
  ];
  if (check.problemSamples.length > 0)
    out.push('', 'differences:', ...check.problemSamples.map((p) => `  ${p}`));
  if (worker.warningSamples.length > 0) {
    out.push('', 'worker warnings:', ...worker.warningSamples.map((w) => `  ${w}`));
  }
  if (report.providerLog.trim() !== '') {
    out.push('', 'provider output (warnings and errors):', report.providerLog.trim().slice(0, 4000));
  }
  if (report.profileDir !== null) out.push('', `CPU profile of the worker: ${report.profileDir}`);
  if (failures.length > 0) out.push('', 'FAILED:', ...failures.map((f) => `  ${f}`));
  return out.join('\n');
}

/** bench-results/<timestamp>-sync-<db>.json; the folder is gitignored. */
export function writeSyncReport(dir: string, report: SyncBenchReport, figures: SyncFigures): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.startedAt.replace(/[:.]/g, '-')}-sync-${report.dialect}.json`);
  const json = JSON.stringify({ ...report, figures }, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
  writeFileSync(file, `${json}\n`);
  return file;
}
