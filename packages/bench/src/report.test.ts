import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from './paired-runs.js';
import { serverMemoryByScenario, tailAgainstThroughput } from './report.js';

describe('tailAgainstThroughput', () => {
  it('splits a p99 ratio into what the throughput gap explains and what is left', () => {
    // A run of this machine's bench: status at 64 connections next to its primary-key read ceiling.
    const tail = tailAgainstThroughput(
      { requestsPerSecond: 15_966, p50Ms: 3.86, p99Ms: 18.89 },
      { requestsPerSecond: 23_484, p50Ms: 2.59, p99Ms: 5.29 },
    );
    expect(tail.p50FromThroughput).toBeCloseTo(1.47, 2);
    expect(tail.p50Ratio).toBeCloseTo(1.49, 2);
    expect(tail.p99Ratio).toBeCloseTo(3.57, 2);
    expect(tail.p99BeyondP50).toBeCloseTo(2.4, 2);
  });

  it('leaves 1 beyond the p50 when a slower server’s latencies have the ceiling’s shape', () => {
    const tail = tailAgainstThroughput(
      { requestsPerSecond: 16_000, p50Ms: 4, p99Ms: 8 },
      { requestsPerSecond: 24_000, p50Ms: 2.5, p99Ms: 5 },
    );
    expect(tail.p50FromThroughput).toBe(1.5);
    expect(tail.p99Ratio).toBe(1.6);
    expect(tail.p99BeyondP50).toBe(1);
  });
});

describe('serverMemoryByScenario', () => {
  const scenario = (name: string, peakMb?: number): ScenarioResult => ({
    name,
    ceiling: 'pk-read',
    runs: [],
    ceilingRuns: [],
    sampleFailures: [],
    ...(peakMb !== undefined && { serverMemoryAfter: { peakMb, anonMb: 200, fileMb: 30, shmemMb: 1 } }),
  });

  it('names each reading after the scenario it followed, in the order they ran, skipping those without one', () => {
    const readings = serverMemoryByScenario({
      scenarios: [scenario('status', 180), scenario('status, two servers'), scenario('add', 305)],
    });
    expect(readings.map((reading) => [reading.phase, reading.peakMb])).toEqual([
      ['status', 180],
      ['add', 305],
    ]);
    expect(readings[1]).toEqual({ phase: 'add', peakMb: 305, anonMb: 200, fileMb: 30, shmemMb: 1 });
  });
});
