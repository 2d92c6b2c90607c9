import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface Series {
  readonly labels: Readonly<Record<string, string>>;
  /** As written: exact decimals (money) stay exact. */
  readonly value: string;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'untyped' | 'summary';
  /** Counters and gauges: one per label set. Histograms: every `_bucket`, `_sum` and `_count` line. */
  readonly series: readonly (Series & { readonly name: string })[];
}

export interface HistogramSeries {
  /** Cumulative counts by upper bound, `+Inf` last. */
  readonly buckets: ReadonlyMap<string, number>;
  readonly sum: number;
  readonly count: number;
}

const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^[+-]?Inf$|^NaN$/;

/**
 * A scrape parsed with parse-prometheus-text-format (a port of the Prometheus Python client's
 * parser). That library merges labelled histograms into one unlabelled entry, so each histogram
 * family's lines are parsed again as untyped samples, which keeps their labels; the histogram
 * rules (cumulative buckets, `+Inf` equal to `_count`) are then checked here.
 */
export class Scrape {
  readonly families = new Map<string, Family>();

  constructor(readonly text: string) {
    if (!text.endsWith('\n')) throw new Error('an exposition ends with a newline');
    for (const family of parsePrometheusTextFormat(text)) {
      if (this.families.has(family.name)) throw new Error(`${family.name} appears twice`);
      const type = family.type.toLowerCase() as Family['type'];
      const series =
        type === 'histogram'
          ? this.histogramLines(family.name)
          : family.metrics.map((m) => ({ name: family.name, labels: m.labels ?? {}, value: m.value ?? '' }));
      for (const s of series) if (!FLOAT.test(s.value)) throw new Error(`${s.name}: bad value "${s.value}"`);
      const keys = series.map((s) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`);
      if (new Set(keys).size !== keys.length) throw new Error(`${family.name} repeats a series`);
      this.families.set(family.name, { name: family.name, help: family.help, type, series });
    }
  }

  private histogramLines(name: string): (Series & { name: string })[] {
    const own = this.text
      .split('\n')
      .filter(
        (line) =>
          line.startsWith(`${name}_bucket`) ||
          line.startsWith(`${name}_sum`) ||
          line.startsWith(`${name}_count`),
      );
    return parsePrometheusTextFormat(`${own.join('\n')}\n`).flatMap((family) =>
      family.metrics.map((m) => ({ name: family.name, labels: m.labels ?? {}, value: m.value ?? '' })),
    );
  }

  family(name: string): Family {
    const family = this.families.get(name);
    if (!family) throw new Error(`no metric ${name} in the scrape`);
    return family;
  }

  /** The one series of a counter or gauge with exactly these labels (throws when there is none). */
  value(name: string, labels: Record<string, string> = {}): string {
    const found = this.family(name).series.filter((s) => sameLabels(s.labels, labels));
    if (found.length !== 1) throw new Error(`${name}${JSON.stringify(labels)}: ${found.length} series`);
    return found[0]!.value;
  }

  number(name: string, labels: Record<string, string> = {}): number {
    return Number(this.value(name, labels));
  }

  /** The histogram series with these labels, its structure checked. */
  histogram(name: string, labels: Record<string, string> = {}): HistogramSeries {
    const family = this.family(name);
    if (family.type !== 'histogram') throw new Error(`${name} is a ${family.type}`);
    const lines = family.series;
    const buckets = new Map<string, number>();
    for (const line of lines) {
      if (line.name !== `${name}_bucket`) continue;
      const { le, ...rest } = line.labels;
      if (le === undefined) throw new Error(`${name}_bucket without le`);
      if (sameLabels(rest, labels)) buckets.set(le, Number(line.value));
    }
    const one = (suffix: string) => {
      const found = lines.filter((l) => l.name === `${name}${suffix}` && sameLabels(l.labels, labels));
      if (found.length !== 1)
        throw new Error(`${name}${suffix}${JSON.stringify(labels)}: ${found.length} series`);
      return Number(found[0]!.value);
    };
    const sum = one('_sum');
    const count = one('_count');
    const counts = [...buckets.values()];
    if ([...buckets.keys()].at(-1) !== '+Inf') throw new Error(`${name}: the last bucket is not +Inf`);
    if (counts.some((c, i) => i > 0 && c < counts[i - 1]!))
      throw new Error(`${name}: buckets not cumulative`);
    if (counts.at(-1) !== count) throw new Error(`${name}: +Inf bucket differs from _count`);
    return { buckets, sum, count };
  }
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
