import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchDatabase } from './bench-database.js';

/** The line the worker prints its result on; everything else it prints is evidence of a fault. */
export const SYNC_RESULT_PREFIX = 'sync-result ';
/** A line the worker prints every few seconds: the status requests answered so far. */
export const SYNC_PROGRESS_PREFIX = 'sync-progress ';

/** What the sync worker measured (see sync-worker.ts). */
export interface SyncWorkerResult {
  readonly passes: number;
  readonly wallSeconds: number;
  readonly cpuUserSeconds: number;
  readonly cpuSystemSeconds: number;
  /** syncOrders' own summary, summed over the passes. */
  readonly checked: number;
  readonly changed: number;
  readonly requests: number;
  readonly failed: number;
  /** Provider calls as the gateway's observer saw them, by `action:outcome`. */
  readonly providerCalls: Record<string, number>;
  readonly providerCallSeconds: number;
  /** Orders still due when the worker stopped (MAX_PASSES reached): must be none. */
  readonly dueAfter: number;
  readonly warnings: number;
  readonly warningSamples: readonly string[];
  readonly peakRssMb: number;
  /** The scheduled catalogue sync (`provider set --sync-every`), run alongside the passes as a worker does. */
  readonly catalogSyncs: { runs: number; synced: number; failed: number; seconds: number };
}

const SYNC_WORKER = fileURLToPath(new URL('./sync-worker.js', import.meta.url));

/**
 * Runs the sync worker on `reseller` to the end and resolves to its result; rejects (with what it
 * printed) when it fails. With `cpuProfileDir`, the worker runs under `node --cpu-prof`.
 */
export function runSyncWorker(
  reseller: BenchDatabase,
  syncIntervalMs: number,
  cpuProfileDir: string | null,
  progress: (line: string) => void,
): Promise<SyncWorkerResult> {
  const profile = cpuProfileDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir];
  if (cpuProfileDir !== null) mkdirSync(cpuProfileDir, { recursive: true });
  const child = spawn(process.execPath, [...profile, SYNC_WORKER, String(syncIntervalMs)], {
    env: { ...process.env, DATABASE_URL: reseller.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const started = performance.now();
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter((text) => text.startsWith(SYNC_PROGRESS_PREFIX))) {
      const requests = Number(line.slice(SYNC_PROGRESS_PREFIX.length));
      const seconds = (performance.now() - started) / 1000;
      progress(
        `  ${requests.toLocaleString('en-US')} status requests answered after ${seconds.toFixed(0)} s`,
      );
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 64 * 1024) stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const line = stdout.split('\n').find((text) => text.startsWith(SYNC_RESULT_PREFIX));
      if (code !== 0 || line === undefined) {
        reject(new Error(`the sync worker failed (${signal ?? `exit ${code}`}):\n${stderr}${stdout}`));
        return;
      }
      resolve(JSON.parse(line.slice(SYNC_RESULT_PREFIX.length)) as SyncWorkerResult);
    });
  });
}
