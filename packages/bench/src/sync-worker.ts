import { type Queryable, dynamicSql, loadConfig } from '@smmkit/server/bench-support';
import {
  DEFAULT_PROVIDER_TIMEOUT_MS,
  Panel,
  type ProviderCallOutcome,
  type ProviderGateway,
  openMigrated,
  runScheduledCatalogSyncs,
  syncOrders,
  systemClock,
} from '@smmkit/server/bench-support/sync-worker';
import { SYNC_PROGRESS_PREFIX, SYNC_RESULT_PREFIX, type SyncWorkerResult } from './sync-worker-process.js';

/**
 * The sync benchmark's worker: a process of its own, opened as `smmkit worker` opens its database,
 * that runs `syncOrders` passes until no order is due and prints what they cost as one JSON line
 * (SYNC_RESULT_PREFIX). Its CPU time is `process.cpuUsage()` around the passes only: every thread
 * of this process (the WAL checkpointer included), none of the benchmark's own work.
 *
 * Usage: node sync-worker.js <sync interval ms>; DATABASE_URL names the reseller's database.
 */

const MAX_PASSES = 10;
const PROGRESS_INTERVAL_MS = 10_000;
const CATALOG_CHECK_MS = 1_000;

const countDueSql = dynamicSql('SELECT COUNT(*) AS due FROM orders WHERE next_sync_at <= ?');

async function countDue(q: Queryable): Promise<number> {
  const row = await q.get<{ due: bigint | number | string }>(countDueSql, [Date.now()]);
  return Number(row?.due ?? 0);
}

async function main(): Promise<void> {
  const syncIntervalMs = Number(process.argv[2]);
  if (!Number.isInteger(syncIntervalMs) || syncIntervalMs < 1)
    throw new Error('usage: sync-worker <interval ms>');
  const config = loadConfig(process.env);
  const db = await openMigrated(config, { longRunning: true });
  try {
    const panel = new Panel(db, { clock: systemClock, currency: config.currency });
    const providerCalls: Record<string, number> = {};
    let providerCallSeconds = 0;
    let warnings = 0;
    const warningSamples: string[] = [];
    const note = (level: string) => (details: object, message: string) => {
      warnings++;
      if (warningSamples.length < 10) warningSamples.push(`${level}: ${message} ${JSON.stringify(details)}`);
    };
    const gateway: ProviderGateway = {
      log: { warn: note('warn'), error: note('error') },
      timeoutMs: DEFAULT_PROVIDER_TIMEOUT_MS,
      syncIntervalMs,
      observe: (_provider: string, action: string, outcome: ProviderCallOutcome, seconds: number) => {
        const key = `${action}:${outcome}`;
        providerCalls[key] = (providerCalls[key] ?? 0) + 1;
        providerCallSeconds += seconds;
      },
    };

    const totals = { checked: 0, changed: 0, requests: 0, failed: 0 };
    let passes = 0;
    let wallMs = 0;
    let cpu = { user: 0, system: 0 };
    let due = await countDue(db);
    // Answered requests so far, every few seconds: a long pass (PostgreSQL) shows it is moving.
    const ticker = setInterval(() => {
      process.stdout.write(`${SYNC_PROGRESS_PREFIX}${providerCalls['status:ok'] ?? 0}\n`);
    }, PROGRESS_INTERVAL_MS);
    ticker.unref();
    // The worker's other job on the same provider: its scheduled catalogue sync, due every 10 s,
    // checked every second alongside the passes (as `smmkit worker` runs its jobs).
    const catalogSyncs = { runs: 0, synced: 0, failed: 0, seconds: 0 };
    let syncing = true;
    const catalogLoop = (async () => {
      while (syncing) {
        const started = performance.now();
        const run = await runScheduledCatalogSyncs(panel.ctx);
        catalogSyncs.runs++;
        catalogSyncs.synced += run.synced;
        catalogSyncs.failed += run.failed;
        catalogSyncs.seconds += (performance.now() - started) / 1000;
        await new Promise((resolve) => setTimeout(resolve, CATALOG_CHECK_MS));
      }
    })();
    while (due > 0 && passes < MAX_PASSES) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const summary = await syncOrders(panel.ctx, gateway);
      wallMs += performance.now() - started;
      const used = process.cpuUsage(cpuBefore);
      cpu = { user: cpu.user + used.user, system: cpu.system + used.system };
      passes++;
      totals.checked += summary.checked;
      totals.changed += summary.changed;
      totals.requests += summary.requests;
      totals.failed += summary.failed;
      due = await countDue(db);
    }
    clearInterval(ticker);
    syncing = false;
    await catalogLoop;
    const result: SyncWorkerResult = {
      passes,
      wallSeconds: wallMs / 1000,
      cpuUserSeconds: cpu.user / 1e6,
      cpuSystemSeconds: cpu.system / 1e6,
      ...totals,
      providerCalls,
      providerCallSeconds,
      dueAfter: due,
      warnings,
      warningSamples,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      catalogSyncs,
    };
    process.stdout.write(`${SYNC_RESULT_PREFIX}${JSON.stringify(result)}\n`);
  } finally {
    await db.close();
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(
    `sync worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
