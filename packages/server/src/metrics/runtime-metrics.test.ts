import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Scrape } from '../../test/support/prometheus.js';
import { Registry } from './registry.js';
import { RuntimeMetrics } from './runtime-metrics.js';

function scrape(): Scrape {
  const registry = new Registry();
  const runtime = RuntimeMetrics.forProcess();
  runtime.register(registry);
  runtime.collect();
  return new Scrape(registry.render());
}

/** Blocks the event loop for `ms`, as a slow synchronous request handler would. */
function blockFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

describe('runtime metrics', () => {
  it('shows a blocked event loop as lag, and each scrape starts a new interval', async () => {
    scrape();
    await sleep(50);
    blockFor(120);
    await sleep(50);
    const blocked = scrape();
    expect(blocked.family('nodejs_eventloop_lag_max_seconds').type).toBe('gauge');
    expect(blocked.number('nodejs_eventloop_lag_max_seconds')).toBeGreaterThanOrEqual(0.1);
    expect(blocked.number('nodejs_eventloop_lag_p50_seconds')).toBeLessThan(0.1);
    await sleep(100);
    // The block belongs to the previous interval.
    expect(scrape().number('nodejs_eventloop_lag_max_seconds')).toBeLessThan(0.1);
  });

  it('counts garbage collection pauses by kind', async () => {
    const before = scrape().histogram('nodejs_gc_duration_seconds', { kind: 'minor' }).count;
    // Short-lived garbage: young-generation collections (scavenges).
    let keep = 0;
    for (let i = 0; i < 2_000_000; i++) keep += { i, text: `x${i}` }.text.length;
    expect(keep).toBeGreaterThan(0);
    // GC entries are delivered to the observer asynchronously.
    await sleep(50);
    const after = scrape();
    expect(after.family('nodejs_gc_duration_seconds').type).toBe('histogram');
    expect(after.histogram('nodejs_gc_duration_seconds', { kind: 'minor' }).count).toBeGreaterThan(before);
    expect(after.number('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });
});
