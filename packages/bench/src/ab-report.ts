/**
 * The `ab` mode's arithmetic: one scenario measured on server A and server B (B with extra
 * environment variables) in alternating rounds. A noisy machine moves both sides of a round alike,
 * so the comparison is each round's B/A ratio, not two means taken minutes apart.
 */
import { type ProcessMemory, formatMb as mb } from './process-memory.js';

export interface AbRun {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  /** The server's CPU time per 1,000 answers, in milliseconds. */
  readonly cpuMsPer1000: number;
  /** Answers that were not the scenario's success, plus socket errors. */
  readonly faults: number;
}

export interface AbRound {
  readonly a: AbRun;
  readonly b: AbRun;
  /** Which side ran first in this round (the order alternates). */
  readonly first: 'a' | 'b';
}

export interface AbSummary {
  readonly rounds: number;
  readonly meanA: number;
  readonly meanB: number;
  /** Each round's B/A throughput ratio, in round order. */
  readonly ratios: readonly number[];
  /** The mean, the median and the spread of `ratios`. */
  readonly meanRatio: number;
  readonly medianRatio: number;
  readonly minRatio: number;
  readonly maxRatio: number;
  /** Rounds in which B answered more requests a second than A. */
  readonly bFaster: number;
  /** Mean of each round's B/A CPU per 1,000 answers (below 1: B spends less per answer). */
  readonly meanCpuRatio: number;
  /** Both sides' faults over every round: a run with faults measured something else. */
  readonly faults: number;
}

const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function summarizeAb(rounds: readonly AbRound[]): AbSummary {
  if (rounds.length === 0) throw new Error('an A/B comparison needs at least one round');
  const ratios = rounds.map((round) => round.b.requestsPerSecond / round.a.requestsPerSecond);
  return {
    rounds: rounds.length,
    meanA: mean(rounds.map((round) => round.a.requestsPerSecond)),
    meanB: mean(rounds.map((round) => round.b.requestsPerSecond)),
    ratios,
    meanRatio: mean(ratios),
    medianRatio: median(ratios),
    minRatio: Math.min(...ratios),
    maxRatio: Math.max(...ratios),
    bFaster: ratios.filter((ratio) => ratio > 1).length,
    meanCpuRatio: mean(rounds.map((round) => round.b.cpuMsPer1000 / round.a.cpuMsPer1000)),
    faults: rounds.reduce((sum, round) => sum + round.a.faults + round.b.faults, 0),
  };
}

const perSecond = (value: number) => Math.round(value).toLocaleString('en-US');

export function formatAbSummary(
  scenario: string,
  env: Readonly<Record<string, string>>,
  rounds: readonly AbRound[],
  summary: AbSummary,
): string {
  const setting = Object.entries(env)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  const lines = [
    `A/B: ${scenario} at 64 connections; A as configured, B with ${setting}`,
    '',
    'round  first  A req/s  A p99 ms  A cpu ms/1k  B req/s  B p99 ms  B cpu ms/1k   B/A',
    '-----  -----  -------  --------  -----------  -------  --------  -----------  -----',
  ];
  for (const [i, round] of rounds.entries()) {
    lines.push(
      [
        String(i + 1).padStart(5),
        round.first.toUpperCase().padStart(5),
        perSecond(round.a.requestsPerSecond).padStart(7),
        round.a.p99Ms.toFixed(1).padStart(8),
        round.a.cpuMsPer1000.toFixed(0).padStart(11),
        perSecond(round.b.requestsPerSecond).padStart(7),
        round.b.p99Ms.toFixed(1).padStart(8),
        round.b.cpuMsPer1000.toFixed(0).padStart(11),
        (summary.ratios[i] ?? 0).toFixed(2).padStart(5),
      ].join('  '),
    );
  }
  lines.push(
    '',
    `mean req/s: A ${perSecond(summary.meanA)}, B ${perSecond(summary.meanB)}; B/A per round: mean ${summary.meanRatio.toFixed(3)}, ` +
      `median ${summary.medianRatio.toFixed(3)}, from ${summary.minRatio.toFixed(2)} to ${summary.maxRatio.toFixed(2)}; ` +
      `B faster in ${summary.bFaster} of ${summary.rounds} rounds; B/A CPU per answer ${summary.meanCpuRatio.toFixed(3)}`,
  );
  if (summary.faults > 0)
    lines.push(`warning: ${summary.faults} answers were not successes: the runs measured something else`);
  return lines.join('\n');
}

/** Both servers' memory after the rounds: a setting that trades memory for speed shows its price here. */
export function formatAbMemory(a: ProcessMemory, b: ProcessMemory): string {
  const side = (name: string, memory: ProcessMemory) =>
    `${name} peak ${mb(memory.peakMb)} (now anon ${mb(memory.anonMb)}, file ${mb(memory.fileMb)}, shmem ${mb(memory.shmemMb)})`;
  return `server memory after the rounds (MB): ${side('A', a)}; ${side('B', b)}; B/A peak ${(b.peakMb / a.peakMb).toFixed(2)}`;
}
