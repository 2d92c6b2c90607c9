import { type IntervalHistogram, PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, Histogram, type HistogramChild, type Registry } from './registry.js';

/** How often the event loop is sampled: a timer that should fire every this many ms. */
const LOOP_RESOLUTION_MS = 10;
const GC_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
/** `PerformanceEntry.detail.kind` (perf_hooks `constants.NODE_PERFORMANCE_GC_*`) by name. */
const GC_KINDS: Readonly<Record<number, string>> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };

const NS_PER_SECOND = 1e9;

/**
 * What makes a slow answer that is not the database's: how long the event loop was blocked and
 * how long garbage collection paused it. Process-wide (a process has one loop and one heap): the
 * first panel of a process starts it and every later one shares it.
 *
 * The loop is sampled by a timer every 10 ms; `nodejs_eventloop_lag_*_seconds` are how late it
 * fired (0: on time) since the previous scrape, as prom-client names them: each scrape starts a
 * new interval. `nodejs_gc_duration_seconds` is cumulative, by kind of collection.
 */
export class RuntimeMetrics {
  private static shared: RuntimeMetrics | null = null;

  /** The process's runtime metrics, started on first use. */
  static forProcess(): RuntimeMetrics {
    RuntimeMetrics.shared ??= new RuntimeMetrics();
    return RuntimeMetrics.shared;
  }

  private readonly loop: IntervalHistogram;
  private readonly gcDuration = new Histogram(
    'nodejs_gc_duration_seconds',
    'Garbage collection pauses by kind (minor, major, incremental, weakcb).',
    ['kind'],
    GC_BUCKETS,
  );
  private readonly gcByKind = new Map<number, HistogramChild>();
  private readonly lag = {
    min: new Gauge('nodejs_eventloop_lag_min_seconds', 'Least event loop lag since the last scrape.'),
    max: new Gauge('nodejs_eventloop_lag_max_seconds', 'Greatest event loop lag since the last scrape.'),
    mean: new Gauge('nodejs_eventloop_lag_mean_seconds', 'Mean event loop lag since the last scrape.'),
    p50: new Gauge('nodejs_eventloop_lag_p50_seconds', 'Median event loop lag since the last scrape.'),
    p90: new Gauge(
      'nodejs_eventloop_lag_p90_seconds',
      '90th percentile event loop lag since the last scrape.',
    ),
    p99: new Gauge(
      'nodejs_eventloop_lag_p99_seconds',
      '99th percentile event loop lag since the last scrape.',
    ),
  };
  private readonly heapUsed = new Gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.');
  private readonly heapTotal = new Gauge('nodejs_heap_size_total_bytes', 'V8 heap reserved, in bytes.');

  private constructor() {
    this.loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    this.loop.enable();
    for (const [kind, name] of Object.entries(GC_KINDS)) {
      this.gcByKind.set(Number(kind), this.gcDuration.child(name));
    }
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = (entry as { detail?: { kind?: number } }).detail?.kind ?? 0;
        // Durations are in milliseconds.
        this.gcByKind.get(kind)?.observe(entry.duration / 1000);
      }
    });
    observer.observe({ entryTypes: ['gc'] });
  }

  register(registry: Registry): void {
    for (const gauge of Object.values(this.lag)) registry.register(gauge);
    registry.register(this.gcDuration);
    registry.register(this.heapUsed);
    registry.register(this.heapTotal);
  }

  /** Fills the gauges for a scrape and starts the next lag interval. */
  collect(): void {
    const lateBy = (ns: number) => Math.max(0, ns / NS_PER_SECOND - LOOP_RESOLUTION_MS / 1000);
    const sampled = this.loop.count > 0;
    this.lag.min.child().set(sampled ? lateBy(this.loop.min) : 0);
    this.lag.max.child().set(sampled ? lateBy(this.loop.max) : 0);
    this.lag.mean.child().set(sampled ? lateBy(this.loop.mean) : 0);
    this.lag.p50.child().set(sampled ? lateBy(this.loop.percentile(50)) : 0);
    this.lag.p90.child().set(sampled ? lateBy(this.loop.percentile(90)) : 0);
    this.lag.p99.child().set(sampled ? lateBy(this.loop.percentile(99)) : 0);
    this.loop.reset();
    const heap = process.memoryUsage();
    this.heapUsed.child().set(heap.heapUsed);
    this.heapTotal.child().set(heap.heapTotal);
  }
}
