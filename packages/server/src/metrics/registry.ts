/**
 * A small Prometheus registry: counters, gauges and fixed-bucket histograms, rendered in the text
 * exposition format 0.0.4. Recording is meant for hot paths: resolve a labelled child once
 * (`child(...)`), keep it, and `inc` / `observe` it — no allocation per call.
 */
export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A sample value: a number, or an exact decimal string (money) written as is. */
export type SampleValue = number | string;

const DECIMAL = /^-?\d+(\.\d+)?$/;

export function formatValue(value: SampleValue): string {
  if (typeof value === 'string') {
    if (!DECIMAL.test(value)) throw new Error(`not a decimal number: ${value}`);
    return value;
  }
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((name, i) => `${name}="${escapeLabelValue(values[i] ?? '')}"`);
  if (extra !== '') parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

interface Metric {
  readonly name: string;
  render(): string;
}

abstract class Family<Child> implements Metric {
  protected readonly children = new Map<string, { values: readonly string[]; child: Child }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    private readonly type: string,
  ) {
    if (!NAME.test(name)) throw new Error(`invalid metric name: ${name}`);
    for (const label of labelNames) {
      if (!LABEL_NAME.test(label) || label === 'le') throw new Error(`invalid label name: ${label}`);
    }
  }

  protected abstract create(): Child;

  /** The child for these label values, created on first use; keep it for repeated recording. */
  child(...values: string[]): Child {
    if (values.length !== this.labelNames.length) {
      throw new Error(`${this.name} takes ${this.labelNames.length} label values, got ${values.length}`);
    }
    const key = values.join('\u0000');
    let entry = this.children.get(key);
    if (!entry) {
      entry = { values, child: this.create() };
      this.children.set(key, entry);
    }
    return entry.child;
  }

  protected abstract lines(values: readonly string[], child: Child): string[];

  render(): string {
    const out = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const { values, child } of this.children.values()) out.push(...this.lines(values, child));
    return out.join('\n');
  }
}

export class CounterChild {
  value = 0;
  inc(by = 1): void {
    if (by < 0) throw new Error('a counter only goes up');
    this.value += by;
  }
}

export class Counter extends Family<CounterChild> {
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, labelNames, 'counter');
  }
  protected create(): CounterChild {
    return new CounterChild();
  }
  protected lines(values: readonly string[], child: CounterChild): string[] {
    return [`${this.name}${labelText(this.labelNames, values)} ${formatValue(child.value)}`];
  }
}

export class GaugeChild {
  value: SampleValue = 0;
  set(value: SampleValue): void {
    this.value = value;
  }
}

export class Gauge extends Family<GaugeChild> {
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, labelNames, 'gauge');
  }
  protected create(): GaugeChild {
    return new GaugeChild();
  }
  /** Forgets every child (for gauges refilled from a fresh read at each scrape). */
  reset(): void {
    this.children.clear();
  }
  protected lines(values: readonly string[], child: GaugeChild): string[] {
    return [`${this.name}${labelText(this.labelNames, values)} ${formatValue(child.value)}`];
  }
}

export class HistogramChild {
  /** Per bucket (not cumulative) counts; the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

export class Histogram extends Family<HistogramChild> {
  readonly buckets: readonly number[];

  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(name, help, labelNames, 'histogram');
    if (
      buckets.length === 0 ||
      buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= buckets[i - 1]!))
    ) {
      throw new Error(`${name}: buckets must be finite and increasing`);
    }
    this.buckets = [...buckets];
  }
  protected create(): HistogramChild {
    return new HistogramChild(this.buckets);
  }
  protected lines(values: readonly string[], child: HistogramChild): string[] {
    const out: string[] = [];
    let cumulative = 0;
    for (let i = 0; i <= this.buckets.length; i++) {
      cumulative += child.counts[i]!;
      const le = i < this.buckets.length ? formatValue(this.buckets[i]!) : '+Inf';
      out.push(`${this.name}_bucket${labelText(this.labelNames, values, `le="${le}"`)} ${cumulative}`);
    }
    const labels = labelText(this.labelNames, values);
    out.push(
      `${this.name}_sum${labels} ${formatValue(child.sum)}`,
      `${this.name}_count${labels} ${child.count}`,
    );
    return out;
  }
}

export class Registry {
  private readonly metrics: Metric[] = [];

  register<M extends Metric>(metric: M): M {
    if (this.metrics.some((m) => m.name === metric.name))
      throw new Error(`${metric.name} is registered already`);
    this.metrics.push(metric);
    return metric;
  }

  /** Every metric in the text exposition format 0.0.4 (ends with a newline). */
  render(): string {
    return `${this.metrics.map((m) => m.render()).join('\n')}\n`;
  }
}
