import { describe, expect, it } from 'vitest';
import { type AbRun, formatAbMemory, formatAbSummary, summarizeAb } from './ab-report.js';

const run = (requestsPerSecond: number, cpuMsPer1000 = 100, faults = 0): AbRun => ({
  requestsPerSecond,
  p99Ms: 20,
  cpuMsPer1000,
  faults,
});

describe('summarizeAb', () => {
  it('compares each round with itself: the machine drifting between rounds does not decide', () => {
    // The machine halves its speed after two rounds; B is 10% faster in every round.
    const summary = summarizeAb([
      { a: run(8000, 120), b: run(8800, 108), first: 'a' },
      { a: run(8000, 120), b: run(8800, 108), first: 'b' },
      { a: run(4000, 240), b: run(4400, 216), first: 'a' },
      { a: run(4000, 240), b: run(4400, 216), first: 'b' },
    ]);
    expect(summary.ratios.map((ratio) => ratio.toFixed(2))).toEqual(['1.10', '1.10', '1.10', '1.10']);
    expect(summary.meanRatio).toBeCloseTo(1.1, 10);
    expect(summary.medianRatio).toBeCloseTo(1.1, 10);
    expect(summary.meanA).toBe(6000);
    expect(summary.meanB).toBe(6600);
    expect(summary.bFaster).toBe(4);
    expect(summary.meanCpuRatio).toBeCloseTo(0.9, 10);
    expect(summary.faults).toBe(0);
  });

  it('gives the spread, the median of an even count and the faults of both sides', () => {
    const summary = summarizeAb([
      { a: run(1000), b: run(800), first: 'a' },
      { a: run(1000), b: run(1300, 100, 2), first: 'b' },
      { a: run(1000, 100, 1), b: run(1000), first: 'a' },
      { a: run(1000), b: run(900), first: 'b' },
    ]);
    expect(summary.minRatio).toBeCloseTo(0.8, 10);
    expect(summary.maxRatio).toBeCloseTo(1.3, 10);
    expect(summary.medianRatio).toBeCloseTo(0.95, 10);
    expect(summary.bFaster).toBe(1);
    expect(summary.faults).toBe(3);
  });

  it('refuses to summarize nothing', () => {
    expect(() => summarizeAb([])).toThrow(/at least one round/);
  });
});

describe('formatAbSummary', () => {
  it('prints every round, the setting compared and a warning when answers failed', () => {
    const rounds = [
      { a: run(5000), b: run(5500), first: 'a' as const },
      { a: run(6000), b: run(5400, 100, 4), first: 'b' as const },
    ];
    const text = formatAbSummary('add', { SMMKIT_X: '1' }, rounds, summarizeAb(rounds));
    expect(text).toContain('A/B: add at 64 connections; A as configured, B with SMMKIT_X=1');
    expect(text).toMatch(/^ {4}1 {6}A {4}5,000 .* {2}1\.10$/m);
    expect(text).toMatch(/^ {4}2 {6}B {4}6,000 .* {2}0\.90$/m);
    expect(text).toContain('B faster in 1 of 2 rounds');
    expect(text).toContain('warning: 4 answers were not successes');
  });
});

describe('formatAbMemory', () => {
  it("prints each server's peak and resident set by kind, and B's peak over A's", () => {
    expect(
      formatAbMemory(
        { peakMb: 251.4, anonMb: 214.6, fileMb: 30.2, shmemMb: 0.9 },
        { peakMb: 236, anonMb: 200, fileMb: 30, shmemMb: Number.NaN },
      ),
    ).toBe(
      'server memory after the rounds (MB): A peak 251 (now anon 215, file 30, shmem 1); ' +
        'B peak 236 (now anon 200, file 30, shmem n/a); B/A peak 0.94',
    );
  });
});
