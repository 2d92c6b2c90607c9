import { describe, expect, it } from 'vitest';
import type { Run } from './measure.js';
import {
  METRICS_SCRAPE_LIMIT_MS,
  type ScaleReport,
  evaluateScaleTargets,
  formatScaleReport,
  scaleRoundRows,
} from './scale-report.js';

const run = (connections: number, rounds?: [number, number][]): Run => ({
  connections,
  requestsPerSecond: rounds ? rounds.reduce((sum, [rps]) => sum + rps, 0) / rounds.length : 1_000,
  requests: 8_000,
  p50Ms: 1,
  p99Ms: 5,
  maxMs: 9,
  unexpected: 0,
  responses: 8_000,
  socketErrors: 0,
  serverCpuPercent: 100,
  runtime: null,
  ...(rounds && {
    rounds: rounds.map(([requestsPerSecond, cpuMicrosPerRequest]) => ({
      requestsPerSecond,
      p50Ms: 1,
      p99Ms: 5,
      cpuMicrosPerRequest,
    })),
  }),
});

// `add` at 10M and at 100k on a fourteenth machine (2026-12-05T21-43-28-224Z-scale-sqlite.json).
const report: ScaleReport = {
  startedAt: '2026-12-05T21:43:28.224Z',
  dialect: 'sqlite',
  orders: 10_000_000,
  smallOrders: 100_000,
  ledgerEntries: 30_000_000,
  seedSeconds: 675,
  smallSeedSeconds: 3,
  seconds: 8,
  machine: {
    cpus: 2,
    node: 'v20.20.2',
    loadAverageAtStart: 0.8,
    loadAverageAtEnd: 1.1,
    sqliteSynchronous: 'full',
  },
  api: [
    {
      name: 'add',
      big: [
        run(1),
        run(64, [
          [9_276, 122.4],
          [7_027, 166],
          [6_859, 170.2],
        ]),
      ],
      small: [
        run(1),
        run(64, [
          [11_813, 102],
          [11_129, 104],
          [9_229, 125.4],
        ]),
      ],
    },
    // A run without rounds (an older report's shape) adds no row.
    { name: 'balance', big: [run(64)], small: [run(64)] },
  ],
  web: [],
  statusManyOwnShare: { big: 1, small: 1 },
  migrationStalls: [],
  serverPeakRssMb: 289,
  ledgerMismatchesAfterRun: 0,
  keptTotalMismatchesAfterRun: [],
  serverLog: '',
};

describe('the scale report, round by round', () => {
  it('sets each 64-connection round at the big database next to the same round at the small one', () => {
    expect(scaleRoundRows(report)).toEqual([
      ['add', '1', '9,276', '122', '11,813', '102', '78.5%'],
      ['add', '2', '7,027', '166', '11,129', '104', '63.1%'],
      ['add', '3', '6,859', '170', '9,229', '125', '74.3%'],
    ]);
  });

  it('prints them under their own heading, the sizes named', () => {
    const text = formatScaleReport(report, evaluateScaleTargets(report));
    const lines = text.split('\n');
    const heading = lines.findIndex((line) => line.startsWith('64 connections, by round'));
    expect(heading).toBeGreaterThan(0);
    expect(lines[heading]).toMatch(
      /req\/s at 10,000,000 +cpu us\/req +req\/s at 100,000 +cpu us\/req +share$/,
    );
    expect(lines[heading + 2]).toMatch(/^add +1 +9,276 +122 +11,813 +102 +78\.5%$/);
    expect(lines[heading + 4]).toMatch(/^add +3 +6,859 +170 +9,229 +125 +74\.3%$/);
    expect(lines[heading + 5]).toBe('');
  });

  it('leaves the table out when no run has rounds', () => {
    const text = formatScaleReport({ ...report, api: [report.api[1]!] }, []);
    expect(text).not.toContain('by round');
  });
});

describe('the scale report, memory by phase', () => {
  const phases: ScaleReport = {
    ...report,
    memoryByPhase: [
      { phase: 'started', peakMb: 120.4, anonMb: 90.2, fileMb: 28.9, shmemMb: 0.4 },
      { phase: 'web pages', peakMb: 201.6, anonMb: 160, fileMb: 30, shmemMb: 0.6 },
      { phase: 'add', peakMb: 375, anonMb: 240.3, fileMb: 30.1, shmemMb: Number.NaN },
    ],
  };

  it('prints them after the peak, under a heading naming the size; a report without them prints none', () => {
    const lines = formatScaleReport(phases, []).split('\n');
    const heading = lines.findIndex((line) => line.startsWith('memory of the 10,000,000-order server (MB)'));
    expect(heading).toBeGreaterThan(lines.findIndex((line) => line.startsWith('server peak RSS')));
    expect(lines[heading]).toMatch(/after +peak +rise +anon +file +shmem$/);
    expect(lines[heading + 4]).toMatch(/^add +375 +\+173 +240 +30 +n\/a$/);
    expect(formatScaleReport(report, [])).not.toContain('memory of the');
  });
});

describe('the scale report, /metrics scrapes', () => {
  const scraped = (metricsScrapeMs: number[]): ScaleReport => ({ ...report, metricsScrapeMs });
  const target = (of: ScaleReport) =>
    evaluateScaleTargets(of).find((result) => result.name.includes('/metrics scrapes'));

  it('holds the slowest scrape to the limit, and prints each one', () => {
    const fast = scraped([41.2, 12.6, 11.9]);
    expect(target(fast)).toMatchObject({
      name: 'slowest of 3 /metrics scrapes at 10,000,000 orders',
      measured: '41 ms',
      wanted: `<= ${METRICS_SCRAPE_LIMIT_MS} ms`,
      pass: true,
    });
    expect(formatScaleReport(fast, [])).toContain(
      '/metrics scrapes at 10,000,000 orders, one after another: 41, 13, 12 ms',
    );
    // One slow scrape fails it: Prometheus would have given up on it.
    expect(target(scraped([20, METRICS_SCRAPE_LIMIT_MS + 1, 20]))?.pass).toBe(false);
  });

  it('sets no target and prints nothing for a report written before scrapes were timed', () => {
    expect(target(report)).toBeUndefined();
    expect(formatScaleReport(report, [])).not.toContain('/metrics scrapes');
  });
});
