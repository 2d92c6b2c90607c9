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

/** The connection count the tail targets are judged at: each run there follows a warm-up of its own. */
const TAIL_CONNECTIONS = 64;

/**
 * Warms every target up (JIT, caches, prepared statements) with a discarded run, then measures
 * them in turn at each connection count. Targets that are compared run back to back, so a
 * change in what else the machine is doing hits both sides of a ratio alike. At 64 connections
 * each measured run also follows a discarded one of its own (see `measureOnce`).
 * Resolves to one list of runs per target, in `CONNECTIONS` order.
 */
export async function measureTogether(
  runner: WrkRunner,
  targets: readonly Target[],
  timing: Timing,
  progress: (line: string) => void,
): Promise<Run[][]> {
  for (const target of targets) await warmUp(runner, target, TAIL_CONNECTIONS, timing.warmupSeconds);
  const results = targets.map((): Run[] => []);
  for (const connections of CONNECTIONS) {
    for (const [i, target] of targets.entries()) {
      const warmup = connections === TAIL_CONNECTIONS ? timing.warmupSeconds : 0;
      const run = await measureOnce(runner, target, connections, timing.seconds, warmup);
      progress(`  ${describeRun(target.name, run)}`);
      results[i]?.push(run);
    }
  }
  return results;
}

/** Warm-ups so far in this process (each gets a label of its own). */
let warmUps = 0;

/** A discarded run: JIT, caches, prepared statements and the heap as load leaves them. */
async function warmUp(
  runner: WrkRunner,
  target: Target,
  connections: number,
  seconds: number,
): Promise<void> {
  const { server } = target;
  await runner.run(`${server.url}/api/v2`, target.load, {
    connections,
    seconds,
    // Unique per warm-up: `add` links are built from it and must never repeat.
    runLabel: `${target.label}-c${connections}-warmup-${++warmUps}`,
    spreadPorts: server.spreadPorts,
  });
}

/**
 * One measured run. With `warmupSeconds`, a discarded run at the same load comes right before it:
 * a server left idle while others were measured starts cold, and V8 shrinks an idle process's
 * young generation, so its first seconds under load collect garbage several times as often (seen:
 * 79 scavenges in a 6 s run, 284 in the same run after 14 s idle) and its p99 depends on how long
 * it waited for its turn (an A/A run of two identical servers: the one that had idled longer had
 * the higher p99 in 7 rounds of 8, up to 8.5x the other's). Each side of a ratio then starts from
 * the same state, the one a server under steady load is in.
 */
export async function measureOnce(
  runner: WrkRunner,
  target: Target,
  connections: number,
  seconds: number,
  warmupSeconds = 0,
): Promise<Run> {
  const { server } = target;
  if (warmupSeconds > 0) await warmUp(runner, target, connections, warmupSeconds);
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
