import { describe, expect, it } from 'vitest';
import { parseRuntimeMetrics, runtimeBetween, serverFailures } from './runtime-evidence.js';

const scrape = (lagP99: number, lagMax: number, minor: [number, number], major: [number, number]) =>
  [
    '# TYPE nodejs_eventloop_lag_p99_seconds gauge',
    `nodejs_eventloop_lag_p99_seconds ${lagP99}`,
    `nodejs_eventloop_lag_max_seconds ${lagMax}`,
    '# TYPE nodejs_gc_duration_seconds histogram',
    `nodejs_gc_duration_seconds_bucket{kind="minor",le="+Inf"} ${minor[0]}`,
    `nodejs_gc_duration_seconds_sum{kind="minor"} ${minor[1]}`,
    `nodejs_gc_duration_seconds_count{kind="minor"} ${minor[0]}`,
    `nodejs_gc_duration_seconds_sum{kind="major"} ${major[1]}`,
    `nodejs_gc_duration_seconds_count{kind="major"} ${major[0]}`,
    'smmkit_orders{status="pending"} 3',
  ].join('\n');

describe('runtime evidence from /metrics', () => {
  it('takes the lag of the second reading and the GC pauses between the two', () => {
    const before = parseRuntimeMetrics(scrape(0.5, 2, [10, 0.02], [1, 0.01]));
    const after = parseRuntimeMetrics(scrape(0.0042, 0.031, [40, 0.065], [3, 0.041]));
    const evidence = runtimeBetween(before, after);
    expect(evidence).not.toBeNull();
    expect(evidence?.loopLagP99Ms).toBeCloseTo(4.2);
    expect(evidence?.loopLagMaxMs).toBeCloseTo(31);
    expect(evidence?.gcCount).toBe(32);
    expect(evidence?.gcPauseMs).toBeCloseTo(76);
    expect(evidence?.majorGcCount).toBe(2);
    expect(evidence?.majorGcPauseMs).toBeCloseTo(31);
  });

  it("takes the handler's own p99 and slowest bucket from the requests answered between the readings", () => {
    // Cumulative counts per bucket bound, as `status` and `balance` report them.
    type Counts = Record<string, [status: number, balance: number]>;
    const reading = (counts: Counts) =>
      parseRuntimeMetrics(
        [
          scrape(0, 0, [0, 0], [0, 0]),
          ...Object.entries(counts).flatMap(([le, [status, balance]]) => [
            `smmkit_api_request_duration_seconds_bucket{action="status",le="${le}"} ${status}`,
            `smmkit_api_request_duration_seconds_bucket{action="balance",le="${le}"} ${balance}`,
          ]),
        ].join('\n'),
      );
    const before: Counts = { '0.001': [100, 50], '0.0025': [100, 50], '0.01': [110, 50], '+Inf': [110, 50] };
    // 1,000 more answered: 980 within 1 ms, 15 more within 2.5 ms, the last 5 within 10 ms.
    const after: Counts = {
      '0.001': [1000, 130],
      '0.0025': [1000, 145],
      '0.01': [1010, 150],
      '+Inf': [1010, 150],
    };
    const evidence = runtimeBetween(reading(before), reading(after));
    expect(evidence?.handledP99Ms).toBeCloseTo(2.5);
    expect(evidence?.handledMaxMs).toBeCloseTo(10);
    // Nothing answered between the readings: nothing to say.
    expect(runtimeBetween(reading(after), reading(after))?.handledP99Ms).toBeNull();
    // One answer beyond the last bound is the slowest.
    const late = runtimeBetween(reading(after), reading({ ...after, '+Inf': [1011, 150] }));
    expect(late?.handledMaxMs).toBe(Infinity);
  });

  it('has nothing to say of a server without the series (a ceiling server)', () => {
    expect(parseRuntimeMetrics('{"error":"Incorrect request"}')).toBeNull();
    expect(runtimeBetween(null, parseRuntimeMetrics(scrape(0, 0, [0, 0], [0, 0])))).toBeNull();
  });

  it("counts the server's HTTP 500 answers of one action, whatever wrk saw of them", () => {
    const text = [
      '# TYPE smmkit_api_requests_total counter',
      'smmkit_api_requests_total{action="add",outcome="ok"} 5083',
      'smmkit_api_requests_total{action="add",outcome="http_error"} 6',
      'smmkit_api_requests_total{action="add",outcome="api_error"} 2',
      'smmkit_api_requests_total{action="status",outcome="http_error"} 9',
    ].join('\n');
    expect(serverFailures(text, 'add')).toBe(6);
    expect(serverFailures(text, 'status')).toBe(9);
    expect(serverFailures(text, 'balance')).toBe(0);
  });
});
