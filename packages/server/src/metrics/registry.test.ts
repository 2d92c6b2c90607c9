import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry, escapeLabelValue, formatValue } from './registry.js';

describe('metrics registry', () => {
  it('renders counters with HELP, TYPE and escaped label values', () => {
    const registry = new Registry();
    const counter = registry.register(new Counter('jobs_total', 'Jobs.\nAll of them \\ here.', ['name']));
    counter.child('a"b\\c\nd').inc();
    counter.child('plain').inc(2);
    counter.child('plain').inc();
    expect(registry.render()).toBe(
      [
        '# HELP jobs_total Jobs.\\nAll of them \\\\ here.',
        '# TYPE jobs_total counter',
        'jobs_total{name="a\\"b\\\\c\\nd"} 1',
        'jobs_total{name="plain"} 3',
        '',
      ].join('\n'),
    );
  });

  it('returns the same child for the same label values, and refuses bad input', () => {
    const counter = new Counter('x_total', 'X.', ['a', 'b']);
    expect(counter.child('1', '2')).toBe(counter.child('1', '2'));
    expect(counter.child('1', '2')).not.toBe(counter.child('12', ''));
    expect(() => counter.child('1')).toThrow();
    expect(() => counter.child('1', '2').inc(-1)).toThrow();
    expect(() => new Counter('bad name', 'X.')).toThrow();
    expect(() => new Counter('ok', 'X.', ['le'])).toThrow();
    expect(() => new Histogram('h', 'H.', [], [1, 1])).toThrow();
    const registry = new Registry();
    registry.register(new Gauge('g', 'G.'));
    expect(() => registry.register(new Counter('g', 'G.'))).toThrow();
  });

  it('renders histograms with cumulative buckets, +Inf, sum and count', () => {
    const registry = new Registry();
    const histogram = registry.register(new Histogram('latency_seconds', 'Latency.', ['action'], [0.1, 1]));
    const child = histogram.child('add');
    for (const value of [0.05, 0.1, 0.5, 3]) child.observe(value);
    expect(registry.render().split('\n')).toEqual([
      '# HELP latency_seconds Latency.',
      '# TYPE latency_seconds histogram',
      'latency_seconds_bucket{action="add",le="0.1"} 2',
      'latency_seconds_bucket{action="add",le="1"} 3',
      'latency_seconds_bucket{action="add",le="+Inf"} 4',
      'latency_seconds_sum{action="add"} 3.65',
      'latency_seconds_count{action="add"} 4',
      '',
    ]);
  });

  it('renders gauges without labels, exact decimals, and forgets children on reset', () => {
    const registry = new Registry();
    const gauge = registry.register(new Gauge('total', 'Total.'));
    gauge.child().set('12345678901234.56789');
    expect(registry.render()).toContain('\ntotal 12345678901234.56789\n');
    gauge.reset();
    expect(registry.render()).toBe('# HELP total Total.\n# TYPE total gauge\n');
    expect(() => gauge.child().set('1e5')).not.toThrow();
    expect(() => registry.render()).toThrow();
  });

  it('formats special values as the format wants them', () => {
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(0.25)).toBe('0.25');
    expect(escapeLabelValue('no escapes')).toBe('no escapes');
  });
});
