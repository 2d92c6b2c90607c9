import { describe, expect, it } from 'vitest';
import { type Run, mergeRounds } from './measure.js';

function round(
  requestsPerSecond: number,
  seconds: number,
  p50Ms: number,
  p99Ms: number,
  extra: Partial<Run> = {},
): Run {
  return {
    connections: 64,
    requests: requestsPerSecond * seconds,
    requestsPerSecond,
    p50Ms,
    p99Ms,
    maxMs: p99Ms * 2,
    unexpected: 0,
    responses: requestsPerSecond * seconds,
    socketErrors: 0,
    serverCpuPercent: 90,
    runtime: null,
    ...extra,
  };
}

describe('mergeRounds', () => {
  it('takes the median p50 and p99, so one disturbed round moves them by a rank only', () => {
    const merged = mergeRounds([round(10_000, 3, 4, 8), round(4_000, 3, 9, 60), round(10_000, 3, 4, 9)]);
    expect(merged.p99Ms).toBe(9);
    expect(merged.p50Ms).toBe(4);
    expect(merged.maxMs).toBe(120);
    expect(merged.rounds?.map((r) => r.p99Ms)).toEqual([8, 60, 9]);
  });

  it('counts throughput as all requests over all the rounds’ time, and sums faults', () => {
    const merged = mergeRounds([
      round(10_000, 3, 4, 8, { unexpected: 2, socketErrors: 1, serverCpuPercent: 100 }),
      round(5_000, 6, 8, 16, { unexpected: 3, serverCpuPercent: 50 }),
    ]);
    expect(merged.requests).toBe(60_000);
    expect(merged.requestsPerSecond).toBeCloseTo(60_000 / 9, 6);
    expect(merged.unexpected).toBe(5);
    expect(merged.socketErrors).toBe(1);
    // CPU weighted by each round's time: (100 * 3 + 50 * 6) / 9.
    expect(merged.serverCpuPercent).toBeCloseTo(600 / 9, 6);
    // An even count of rounds: the mean of the middle two.
    expect(merged.p99Ms).toBe(12);
  });

  it('keeps each round’s CPU per answer, so a round the machine slowed shows as one', () => {
    // One core for 10,000 answers a second is 100 us each; the slowed round spends 200 us.
    const merged = mergeRounds([
      round(10_000, 3, 4, 8, { serverCpuPercent: 100 }),
      round(5_000, 3, 9, 60, { serverCpuPercent: 100 }),
      round(12_000, 3, 4, 9, { serverCpuPercent: 90 }),
    ]);
    expect(merged.rounds?.map((r) => r.cpuMicrosPerRequest)).toEqual([100, 200, 75]);
  });

  it('counts no CPU per answer for a round that got no answer, rather than dividing by zero', () => {
    const merged = mergeRounds([round(10_000, 3, 4, 8), round(0, 3, 0, 0, { requests: 0, responses: 0 })]);
    expect(merged.rounds?.map((r) => r.cpuMicrosPerRequest)).toEqual([90, 0]);
  });

  it('keeps the worst round of the server evidence and sums its collections', () => {
    const evidence = (lag: number, gc: number, handled: number | null) => ({
      loopLagP99Ms: lag,
      loopLagMaxMs: lag * 2,
      gcCount: gc,
      gcPauseMs: gc / 2,
      majorGcCount: 0,
      majorGcPauseMs: 0,
      handledP99Ms: handled,
      handledMaxMs: handled,
    });
    const merged = mergeRounds([
      round(10_000, 3, 4, 8, { runtime: evidence(3, 10, 1) }),
      round(10_000, 3, 4, 8, { runtime: evidence(7, 20, null) }),
    ]);
    expect(merged.runtime).toEqual({
      loopLagP99Ms: 7,
      loopLagMaxMs: 14,
      gcCount: 30,
      gcPauseMs: 15,
      majorGcCount: 0,
      majorGcPauseMs: 0,
      handledP99Ms: 1,
      handledMaxMs: 1,
    });
    // A round without evidence (a ceiling): none for the run.
    expect(
      mergeRounds([round(1, 1, 1, 1, { runtime: evidence(1, 1, 1) }), round(1, 1, 1, 1)]).runtime,
    ).toBeNull();
  });
});
