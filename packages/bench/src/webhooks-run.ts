import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { type Database, findLedgerMismatches, loadConfig } from '@smmkit/server/bench-support';
import {
  Panel,
  addFunds,
  createService,
  createUser,
  createWebhook,
  openMigrated,
  placeOrder,
  systemClock,
  systemResolver,
  updateOrderStatus,
} from '@smmkit/server/bench-support/webhooks';
import { createBenchDatabase } from './bench-database.js';
import { type ChildProcessHandle, startChildProcess } from './child-server.js';
import type { BenchOptions } from './options.js';
import { RESULTS_DIR, SMMKIT_BIN } from './paths.js';
import { type Arrival, BenchReceiver } from './webhooks-receiver.js';

/** Status changes of one order: each order is moved twice, so its two updates must arrive in order. */
const MOVES = ['In progress', 'Completed'] as const;
/** Status changes in flight at once (the producer stands for the panel's API and sync, not measured). */
const PRODUCER_CONCURRENCY = 32;
/** How long the worker is watched idle, so its own baseline can be told from the deliveries' cost. */
const IDLE_SECONDS = 5;
/** After the last change, how long the deliveries may take before the run counts as failed. */
const DRAIN_TIMEOUT_MS = 180_000;

export interface WebhooksFigures {
  readonly changes: number;
  readonly changeFailures: number;
  readonly changesPerSecond: number;
  readonly deliveries: number;
  readonly uniqueMessageIds: number;
  /** Orders whose updates arrived out of sequence: must be none. */
  readonly outOfSequence: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly workerCpuSeconds: number;
  readonly workerCpuSecondsPer1000: number;
  readonly workerIdleCpuPerSecond: number;
  readonly deliverySeconds: number;
  readonly ledgerMismatches: number;
}

const loadAverage = () => loadavg()[0] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `npm run bench -- webhooks`: a customer with one endpoint on a local receiver and N/2 orders;
 * N status changes through the panel's status-change step (each writes one outbox row in its
 * transaction), at a steady rate, while a real `smmkit worker` process (SMMKIT_ALLOW_PRIVATE_URLS=1,
 * the default dispatch interval) delivers them. Reports the time from change to arrival (p50, p99)
 * and the worker's CPU per 1,000 deliveries; fails when a delivery is missing, doubled or out of
 * sequence, or the ledger does not add up.
 */
export async function runWebhooksBenchmark(
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  const changes = options.webhookChanges;
  const rate = options.webhookChangesPerSecond;
  const orderCount = Math.ceil(changes / MOVES.length);
  progress(
    `smmkit bench webhooks: ${changes.toLocaleString('en-US')} status changes of ${orderCount.toLocaleString('en-US')} ` +
      `orders at ${rate}/s on ${options.dialect}${options.quick ? ' (quick)' : ''}, delivered by smmkit worker`,
  );
  if (loadAtStart > 0.5) {
    progress(`warning: the machine is busy (load ${loadAtStart.toFixed(1)}): numbers will be noisy`);
  }
  const benchDb = await createBenchDatabase(options.dialect, options.postgresUrl, 'webhooks');
  const receiver = await BenchReceiver.start();
  let db: Database | null = null;
  let worker: ChildProcessHandle | null = null;
  try {
    const env = { ...process.env, DATABASE_URL: benchDb.url };
    const config = loadConfig(env);
    db = await openMigrated(config);
    const panel = new Panel(db, { clock: systemClock, currency: config.currency, allowPrivateUrls: true });
    const orders = await seed(panel, receiver.url, orderCount, progress);

    worker = startChildProcess([SMMKIT_BIN, 'worker'], {
      ...env,
      SMMKIT_ALLOW_PRIVATE_URLS: '1',
      SMMKIT_LOG_LEVEL: 'warn',
    });
    await untilStarted(worker);
    await sleep(2000); // its first runs of every job (start-up) are not idle
    const idleFrom = worker.cpuSeconds();
    await sleep(IDLE_SECONDS * 1000);
    const workerIdleCpuPerSecond = (worker.cpuSeconds() - idleFrom) / IDLE_SECONDS;

    progress(`changing ${changes.toLocaleString('en-US')} statuses at ${rate}/s…`);
    const cpuBefore = worker.cpuSeconds();
    const started = performance.now();
    const changeFailures = await produce(panel, orders, changes, rate);
    const produceSeconds = (performance.now() - started) / 1000;
    progress(`  done in ${produceSeconds.toFixed(1)} s; waiting for the deliveries…`);
    const complete = await receiver.waitFor(changes - changeFailures, DRAIN_TIMEOUT_MS);
    const deliverySeconds = (performance.now() - started) / 1000;
    const workerCpuSeconds = worker.cpuSeconds() - cpuBefore;
    await sleep(2000); // anything delivered twice would arrive now
    const workerOutput = worker.output();
    await worker.stop();
    worker = null;
    if (!complete) progress('  not every delivery arrived in time');

    const figures = webhooksFigures(receiver.arrivals, {
      changes,
      changeFailures,
      changesPerSecond: changes / produceSeconds,
      workerCpuSeconds,
      workerIdleCpuPerSecond,
      deliverySeconds,
      ledgerMismatches: (await findLedgerMismatches(db)).length,
    });
    const failures = webhooksFailures(figures);
    const report = {
      startedAt,
      dialect: options.dialect,
      quick: options.quick,
      machine: {
        cpus: availableParallelism(),
        node: process.version,
        loadAverageAtStart: loadAtStart,
        loadAverageAtEnd: loadAverage(),
        dispatchIntervalMs: config.dispatchIntervalMs,
      },
      figures,
      failures,
      workerOutput,
    };
    progress('');
    progress(formatWebhooksReport(report));
    progress('');
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${startedAt.replace(/[:.]/g, '-')}-webhooks-${options.dialect}.json`);
    writeFileSync(file, `${JSON.stringify(report)}\n`);
    progress(`results: ${file}`);
    if (failures.length > 0) throw new Error(`webhooks benchmark failed: ${failures.join('; ')}`);
  } finally {
    await worker?.stop();
    await db?.close();
    await receiver.close();
    await benchDb.drop();
  }
}

/** Resolves once the worker says it started (it has opened and migrated the database). */
async function untilStarted(worker: ChildProcessHandle): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!worker.output().includes('smmkit worker started')) {
    if (Date.now() > deadline) throw new Error(`the worker did not start:\n${worker.output()}`);
    await sleep(100);
  }
}

/** A customer with funds, one endpoint on the receiver for order.updated, and `count` manual orders. */
async function seed(
  panel: Panel,
  url: string,
  count: number,
  progress: (line: string) => void,
): Promise<number[]> {
  progress(`seeding: a customer, an endpoint, ${count.toLocaleString('en-US')} orders…`);
  const ctx = panel.ctx;
  const user = await createUser(ctx, { username: 'hooked', role: 'customer' });
  if (!user.ok) throw new Error(`createUser: ${user.failure.code}`);
  const userId = user.value.id;
  const funded = await addFunds(ctx, { userId, amount: 100_000_000_000n });
  if (!funded.ok) throw new Error(`addFunds: ${funded.failure.code}`);
  const service = await createService(ctx, {
    name: 'Followers',
    type: 'Default',
    category: 'Instagram',
    rate: '0.90',
    min: 10,
    max: 10000,
    refill: false,
    refillDays: 30,
    cancel: false,
    dripfeed: false,
    allowDuplicateLinks: true,
    description: '',
    enabled: true,
  });
  if (!service.ok) throw new Error(`createService: ${JSON.stringify(service.failure)}`);
  const hook = await createWebhook(
    ctx,
    { allowPrivate: true, resolve: systemResolver },
    {
      userId,
      url,
      events: ['order.updated'],
    },
  );
  if (!hook.ok) throw new Error(`createWebhook: ${hook.failure.code}`);
  const customer = panel.contextFor({ userId });
  const orders: number[] = [];
  for (let from = 0; from < count; from += 50) {
    const batch = Array.from({ length: Math.min(50, count - from) }, (_, i) =>
      placeOrder(customer, {
        userId,
        params: {
          service: String(service.value.id),
          link: `https://example.com/p${from + i}`,
          quantity: '100',
        },
      }),
    );
    for (const placed of await Promise.all(batch)) {
      if (!placed.ok) throw new Error(`placeOrder: ${placed.failure.code}`);
      orders.push(placed.value.order);
    }
  }
  return orders;
}

/** The changes at a steady `rate` a second: every order to In progress, then every order to Completed. */
async function produce(
  panel: Panel,
  orders: readonly number[],
  changes: number,
  rate: number,
): Promise<number> {
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let failures = 0;
  for (let i = 0; i < changes; i++) {
    const wait = started + (i / rate) * 1000 - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight.size >= PRODUCER_CONCURRENCY) await Promise.race(inFlight);
    const orderId = orders[i % orders.length]!;
    const status = MOVES[Math.floor(i / orders.length)]!;
    const change: Promise<void> = updateOrderStatus(panel.ctx, { orderId, status })
      .then((result) => {
        if (!result.ok) failures++;
      })
      .finally(() => inFlight.delete(change));
    inFlight.add(change);
  }
  await Promise.all(inFlight);
  return failures;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function webhooksFigures(
  arrivals: readonly Arrival[],
  run: Omit<
    WebhooksFigures,
    'deliveries' | 'uniqueMessageIds' | 'outOfSequence' | 'latencyMs' | 'workerCpuSecondsPer1000'
  >,
): WebhooksFigures {
  const latencies = arrivals.map((arrival) => arrival.arrivedAt - arrival.changedAt).sort((a, b) => a - b);
  const lastSequence = new Map<number, number>();
  let outOfSequence = 0;
  for (const arrival of arrivals) {
    if (arrival.sequence !== (lastSequence.get(arrival.order) ?? 0) + 1) outOfSequence++;
    lastSequence.set(arrival.order, arrival.sequence);
  }
  return {
    ...run,
    deliveries: arrivals.length,
    uniqueMessageIds: new Set(arrivals.map((arrival) => arrival.messageId)).size,
    outOfSequence,
    latencyMs: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
    },
    workerCpuSecondsPer1000:
      arrivals.length === 0 ? Number.NaN : (run.workerCpuSeconds / arrivals.length) * 1000,
  };
}

export function webhooksFailures(figures: WebhooksFigures): string[] {
  const failures: string[] = [];
  if (figures.changeFailures > 0) failures.push(`${figures.changeFailures} status changes refused`);
  if (figures.deliveries !== figures.changes)
    failures.push(`${figures.deliveries} deliveries for ${figures.changes} changes`);
  if (figures.uniqueMessageIds !== figures.deliveries)
    failures.push(`${figures.deliveries - figures.uniqueMessageIds} delivered twice`);
  if (figures.outOfSequence > 0) failures.push(`${figures.outOfSequence} updates out of sequence`);
  if (figures.ledgerMismatches > 0)
    failures.push(`${figures.ledgerMismatches} balances differ from the ledger`);
  return failures;
}

function formatWebhooksReport(report: {
  dialect: string;
  machine: { loadAverageAtStart: number; loadAverageAtEnd: number; dispatchIntervalMs: number; cpus: number };
  figures: WebhooksFigures;
  failures: readonly string[];
}): string {
  const f = report.figures;
  const n = (value: number, digits = 0) => value.toFixed(digits);
  return [
    `webhooks on ${report.dialect}: ${f.changes} status changes at ${n(f.changesPerSecond)}/s → ${f.deliveries} deliveries ` +
      `(${f.uniqueMessageIds} distinct webhook-ids, ${f.outOfSequence} out of sequence), all in ${n(f.deliverySeconds, 1)} s`,
    `  change → delivery: p50 ${f.latencyMs.p50} ms, p99 ${f.latencyMs.p99} ms, max ${f.latencyMs.max} ms ` +
      `(worker polls every ${report.machine.dispatchIntervalMs / 1000} s: SMMKIT_DISPATCH_INTERVAL)`,
    `  worker CPU: ${n(f.workerCpuSeconds, 2)} s in all, ${n(f.workerCpuSecondsPer1000, 3)} s per 1,000 deliveries ` +
      `(idle: ${n(f.workerIdleCpuPerSecond * 1000, 1)} ms per second, included in both)`,
    `  machine: ${report.machine.cpus} cores, load ${n(report.machine.loadAverageAtStart, 1)} → ${n(report.machine.loadAverageAtEnd, 1)}` +
      `; ledger mismatches: ${f.ledgerMismatches}`,
    report.failures.length === 0 ? '  checks: passed' : `  FAILED: ${report.failures.join('; ')}`,
  ].join('\n');
}
