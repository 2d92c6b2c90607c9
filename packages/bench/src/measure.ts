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
  /**
   * At 64 connections, the rounds the run was measured in (see `TAIL_ROUNDS`), each as wrk saw it:
   * the run's p50 and p99 are their medians, its throughput all their requests over all their time.
   */
  readonly rounds?: readonly RoundFigures[];
}

export interface RoundFigures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /**
   * The server's CPU time per answer in the round, in microseconds. The same code answering the
   * same requests costs the same, so a round whose figure stands far above the others' was slowed
   * by the machine, not by the load.
   */
  readonly cpuMicrosPerRequest: number;
}

/**
 * CPU time per answer in microseconds (equally, milliseconds per 1,000 answers): `serverCpuPercent`
 * is CPU seconds per 100 wall seconds. 0 for a run that got no answer.
 */
export const cpuMicrosPerRequest = (run: Pick<Run, 'serverCpuPercent' | 'requestsPerSecond'>): number =>
  run.requestsPerSecond > 0 ? (run.serverCpuPercent * 10_000) / run.requestsPerSecond : 0;

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
 * At 64 connections each target's run is measured in this many rounds, the targets taking turns
 * (A B C, then C B A, then A B C), and its p50 and p99 are the medians of its rounds'. One run's
 * p99 at 64 connections moves with whatever else the machine did during it: an A/A of two
 * identical servers gave per-run p99 ratios from 0.31 to 8.5x (8 rounds). A burst that hits one
 * round of one side then moves the median by one rank, not the whole verdict; a server whose
 * every round is slow still shows it.
 *
 * Each round lasts the whole run's time (`Timing.seconds`), not a third of it. A p99 is the slowest
 * 1% of a round's answers, so a 3 s round's is decided by about 30 ms of what happened. In 21
 * `status` runs of 3 s rounds, 33 of 63 rounds of the smmkit server had a p99 above 12 ms (up to
 * 41.7 ms, at their other rounds' throughput and CPU per answer), the ceiling's 3 of 63; in 11 runs
 * of 8 s rounds on the same machine that night, none of 33 (at most 11.7 ms; the ceiling's 6.1).
 * See ARCHITECTURE, "Where the read path's tail goes".
 */
export const TAIL_ROUNDS = 3;

/**
 * Warms every target up (JIT, caches, prepared statements) with a discarded run, then measures
 * them in turn at each connection count. Targets that are compared run back to back, so a
 * change in what else the machine is doing hits both sides of a ratio alike. At 64 connections
 * each is measured in `TAIL_ROUNDS` interleaved rounds, each following a discarded run of its own
 * (see `measureOnce`). Resolves to one list of runs per target, in `CONNECTIONS` order.
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
    const runs =
      connections === TAIL_CONNECTIONS
        ? await measureInRounds(runner, targets, timing)
        : await measureEachOnce(runner, targets, connections, timing.seconds);
    for (const [i, target] of targets.entries()) {
      const run = runs[i]!;
      progress(`  ${describeRun(target.name, run)}`);
      results[i]?.push(run);
    }
  }
  return results;
}

async function measureEachOnce(
  runner: WrkRunner,
  targets: readonly Target[],
  connections: number,
  seconds: number,
): Promise<Run[]> {
  const runs: Run[] = [];
  for (const target of targets) runs.push(await measureOnce(runner, target, connections, seconds));
  return runs;
}

/** `TAIL_ROUNDS` interleaved rounds at 64 connections, each as long as a run; one merged run per target. */
async function measureInRounds(
  runner: WrkRunner,
  targets: readonly Target[],
  timing: Timing,
): Promise<Run[]> {
  const rounds = targets.map((): Run[] => []);
  for (let round = 0; round < TAIL_ROUNDS; round++) {
    const order = [...targets.keys()];
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const target = targets[i]!;
      rounds[i]!.push(
        await measureOnce(runner, target, TAIL_CONNECTIONS, timing.seconds, timing.warmupSeconds, round + 1),
      );
    }
  }
  return rounds.map(mergeRounds);
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * One run of a target's rounds: requests and faults summed, throughput and CPU over all their
 * time, p50 and p99 the medians of the rounds', the slowest answer of any; the server's evidence
 * the worst round's (GC counts and pauses summed).
 */
export function mergeRounds(rounds: readonly Run[]): Run {
  const first = rounds[0];
  if (first === undefined) throw new Error('no rounds to merge');
  const seconds = rounds.map((run) => run.requests / run.requestsPerSecond);
  const totalSeconds = seconds.reduce((sum, value) => sum + value, 0);
  const sum = (pick: (run: Run) => number) => rounds.reduce((total, run) => total + pick(run), 0);
  const requests = sum((run) => run.requests);
  return {
    connections: first.connections,
    requests,
    requestsPerSecond: requests / totalSeconds,
    p50Ms: median(rounds.map((run) => run.p50Ms)),
    p99Ms: median(rounds.map((run) => run.p99Ms)),
    maxMs: Math.max(...rounds.map((run) => run.maxMs)),
    unexpected: sum((run) => run.unexpected),
    responses: sum((run) => run.responses),
    socketErrors: sum((run) => run.socketErrors),
    serverCpuPercent:
      rounds.reduce((total, run, i) => total + run.serverCpuPercent * seconds[i]!, 0) / totalSeconds,
    runtime: mergeRuntime(rounds.map((run) => run.runtime)),
    rounds: rounds.map((run) => ({
      requestsPerSecond: run.requestsPerSecond,
      p50Ms: run.p50Ms,
      p99Ms: run.p99Ms,
      cpuMicrosPerRequest: cpuMicrosPerRequest(run),
    })),
  };
}

function mergeRuntime(readings: readonly (RuntimeEvidence | null)[]): RuntimeEvidence | null {
  if (readings.some((reading) => reading === null)) return null;
  const all = readings as readonly RuntimeEvidence[];
  const worst = (pick: (reading: RuntimeEvidence) => number | null): number | null => {
    const values = all.map(pick).filter((value): value is number => value !== null);
    return values.length === 0 ? null : Math.max(...values);
  };
  const total = (pick: (reading: RuntimeEvidence) => number) =>
    all.reduce((sum, reading) => sum + pick(reading), 0);
  return {
    loopLagP99Ms: worst((reading) => reading.loopLagP99Ms) ?? 0,
    loopLagMaxMs: worst((reading) => reading.loopLagMaxMs) ?? 0,
    gcCount: total((reading) => reading.gcCount),
    gcPauseMs: total((reading) => reading.gcPauseMs),
    majorGcCount: total((reading) => reading.majorGcCount),
    majorGcPauseMs: total((reading) => reading.majorGcPauseMs),
    handledP99Ms: worst((reading) => reading.handledP99Ms),
    handledMaxMs: worst((reading) => reading.handledMaxMs),
  };
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
  /** Set for one of several rounds of the same run: its `add` links differ from the others'. */
  round?: number,
): Promise<Run> {
  const { server } = target;
  if (warmupSeconds > 0) await warmUp(runner, target, connections, warmupSeconds);
  const runtimeBefore = target.observed ? await readRuntime(server.url) : null;
  const cpuBefore = server.cpuSeconds();
  const wallBefore = performance.now();
  const result = await runner.run(`${server.url}/api/v2`, target.load, {
    connections,
    seconds,
    runLabel: `${target.label}-c${connections}${round === undefined ? '' : `-round-${round}`}`,
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
