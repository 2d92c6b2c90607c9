import type { ChildServer } from './child-server.js';
import type { Load } from './scenarios.js';
import type { WrkResult, WrkRunner } from './wrk.js';
import { type RuntimeEvidence, readRuntime, runtimeBetween } from './runtime-evidence.js';

/** One measured run: what wrk saw, and how busy the server was meanwhile. */
export interface Run extends WrkResult {
  /** Server CPU time over wall time: 100% is one core, the most a Node process's main thread gives. */
  readonly serverCpuPercent: number;
  /** An smmkit server's event loop lag and GC pauses over the run (null: a ceiling, or unread). */
  readonly runtime: RuntimeEvidence | null;
}

/** One client at a time (latency), then 64 at once (throughput under contention). */
export const CONNECTIONS = [1, 64] as const;

export interface Timing {
  readonly seconds: number;
  readonly warmupSeconds: number;
}

/** A server and the load to put on it. */
export interface Target {
  /** Shown in progress lines. */
  readonly name: string;
  /** Unique across the whole benchmark: `add` links are built from it and must never repeat. */
  readonly label: string;
  readonly server: ChildServer;
  readonly load: Load;
  /** An smmkit server: its /metrics tell the run's event loop lag and GC pauses. */
  readonly observed?: boolean;
}

/**
 * Warms every target up (JIT, caches, prepared statements) with a discarded run, then measures
 * them in turn at each connection count. Targets that are compared run back to back, so a
 * change in what else the machine is doing hits both sides of a ratio alike.
 * Resolves to one list of runs per target, in `CONNECTIONS` order.
 */
export async function measureTogether(
  runner: WrkRunner,
  targets: readonly Target[],
  timing: Timing,
  progress: (line: string) => void,
): Promise<Run[][]> {
  for (const target of targets) {
    await runner.run(`${target.server.url}/api/v2`, target.load, {
      connections: 64,
      seconds: timing.warmupSeconds,
      runLabel: `${target.label}-warmup`,
      spreadPorts: target.server.spreadPorts,
    });
  }
  const results = targets.map((): Run[] => []);
  for (const connections of CONNECTIONS) {
    for (const [i, target] of targets.entries()) {
      const run = await measureOnce(runner, target, connections, timing.seconds);
      progress(`  ${describeRun(target.name, run)}`);
      results[i]?.push(run);
    }
  }
  return results;
}

export async function measureOnce(
  runner: WrkRunner,
  target: Target,
  connections: number,
  seconds: number,
): Promise<Run> {
  const { server } = target;
  const runtimeBefore = target.observed ? await readRuntime(server.url) : null;
  const cpuBefore = server.cpuSeconds();
  const wallBefore = performance.now();
  const result = await runner.run(`${server.url}/api/v2`, target.load, {
    connections,
    seconds,
    runLabel: `${target.label}-c${connections}`,
    spreadPorts: server.spreadPorts,
  });
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  const serverCpuPercent = ((server.cpuSeconds() - cpuBefore) / wallSeconds) * 100;
  const runtime = target.observed ? runtimeBetween(runtimeBefore, await readRuntime(server.url)) : null;
  return { ...result, serverCpuPercent, runtime };
}

export function describeRun(name: string, run: Run): string {
  const faults =
    run.unexpected + run.socketErrors > 0
      ? `  (${run.unexpected} unexpected answers, ${run.socketErrors} socket errors)`
      : '';
  const perSecond = Math.round(run.requestsPerSecond).toLocaleString('en-US').padStart(8);
  const runtime =
    run.runtime === null
      ? ''
      : `  loop lag p99 ${run.runtime.loopLagP99Ms.toFixed(1)} ms  gc ${run.runtime.gcPauseMs.toFixed(0)} ms`;
  return (
    `${name.padEnd(40)} c${String(run.connections).padEnd(3)} ${perSecond} req/s  p50 ${run.p50Ms.toFixed(2)} ms  ` +
    `p99 ${run.p99Ms.toFixed(2)} ms  cpu ${run.serverCpuPercent.toFixed(0)}%${runtime}${faults}`
  );
}
