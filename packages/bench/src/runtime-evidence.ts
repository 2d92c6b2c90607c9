/**
 * Where a run's tail went inside the smmkit server: its event loop lag and garbage-collection
 * pauses over the run, read from its own /metrics (README › Metrics) just before and right after.
 */
export interface RuntimeEvidence {
  /** How late the server's 10 ms loop timer fired: the longest stretches nothing else could run. */
  readonly loopLagP99Ms: number;
  readonly loopLagMaxMs: number;
  /** Collections during the run and their pauses, all kinds together. */
  readonly gcCount: number;
  readonly gcPauseMs: number;
  /** Major (mark-compact) collections alone: the long pauses. */
  readonly majorGcCount: number;
  readonly majorGcPauseMs: number;
}

interface Reading {
  readonly lagP99: number;
  readonly lagMax: number;
  readonly gc: ReadonlyMap<string, { count: number; sum: number }>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? ([^ ]+)$/;

/** The few series read here, from the text exposition format. */
export function parseRuntimeMetrics(text: string): Reading | null {
  let lagP99: number | null = null;
  let lagMax: number | null = null;
  const gc = new Map<string, { count: number; sum: number }>();
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const [, name, , labels = '', raw] = match;
    const value = Number(raw);
    if (name === 'nodejs_eventloop_lag_p99_seconds') lagP99 = value;
    else if (name === 'nodejs_eventloop_lag_max_seconds') lagMax = value;
    else if (name === 'nodejs_gc_duration_seconds_count' || name === 'nodejs_gc_duration_seconds_sum') {
      const kind = /kind="([^"]*)"/.exec(labels)?.[1] ?? '';
      const entry = gc.get(kind) ?? { count: 0, sum: 0 };
      if (name.endsWith('_count')) entry.count = value;
      else entry.sum = value;
      gc.set(kind, entry);
    }
  }
  return lagP99 === null || lagMax === null ? null : { lagP99, lagMax, gc };
}

/** Requests the server answered with HTTP 500 for this API action so far, from a /metrics text. */
export function serverFailures(text: string, action: string): number {
  let failures = 0;
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (match?.[1] !== 'smmkit_api_requests_total') continue;
    const labels = match[3] ?? '';
    if (labels.includes(`action="${action}"`) && labels.includes('outcome="http_error"'))
      failures += Number(match[4]);
  }
  return failures;
}

/** `serverFailures` read from a running server (null: its /metrics did not answer). */
export async function readServerFailures(serverUrl: string, action: string): Promise<number | null> {
  try {
    const response = await fetch(`${serverUrl}/metrics`);
    return response.ok ? serverFailures(await response.text(), action) : null;
  } catch {
    return null;
  }
}

/** Reads the server's runtime series (and, by reading them, starts a new lag interval). */
export async function readRuntime(serverUrl: string): Promise<Reading | null> {
  try {
    const response = await fetch(`${serverUrl}/metrics`);
    return response.ok ? parseRuntimeMetrics(await response.text()) : null;
  } catch {
    return null;
  }
}

/** The run's evidence: lag as the second reading saw it, GC as the difference of the two. */
export function runtimeBetween(before: Reading | null, after: Reading | null): RuntimeEvidence | null {
  if (before === null || after === null) return null;
  const delta = (kind: string | null) => {
    let count = 0;
    let sum = 0;
    for (const [name, entry] of after.gc) {
      if (kind !== null && name !== kind) continue;
      const earlier = before.gc.get(name) ?? { count: 0, sum: 0 };
      count += entry.count - earlier.count;
      sum += entry.sum - earlier.sum;
    }
    return { count, ms: sum * 1000 };
  };
  const all = delta(null);
  const major = delta('major');
  return {
    loopLagP99Ms: after.lagP99 * 1000,
    loopLagMaxMs: after.lagMax * 1000,
    gcCount: all.count,
    gcPauseMs: all.ms,
    majorGcCount: major.count,
    majorGcPauseMs: major.ms,
  };
}
