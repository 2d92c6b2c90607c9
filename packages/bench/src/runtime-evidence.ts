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
  /**
   * The API requests the server answered during the run as its own duration histogram saw them
   * (`smmkit_api_request_duration_seconds`: from the parsed request to the answer written, every
   * action together): the bucket bound holding their 99th percentile and their slowest (ms; null
   * when none was answered, Infinity beyond the last bound). A wrk p99 far above these waited
   * outside the handler: in the queue of the other connections' requests, or on the machine.
   */
  readonly handledP99Ms: number | null;
  readonly handledMaxMs: number | null;
}

interface Reading {
  readonly lagP99: number;
  readonly lagMax: number;
  readonly gc: ReadonlyMap<string, { count: number; sum: number }>;
  /** API requests answered within each bucket bound (seconds, Infinity for +Inf), all actions summed. */
  readonly handled: ReadonlyMap<number, number>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? ([^ ]+)$/;

/** The few series read here, from the text exposition format. */
export function parseRuntimeMetrics(text: string): Reading | null {
  let lagP99: number | null = null;
  let lagMax: number | null = null;
  const gc = new Map<string, { count: number; sum: number }>();
  const handled = new Map<number, number>();
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
    } else if (name === 'smmkit_api_request_duration_seconds_bucket') {
      const le = /le="([^"]*)"/.exec(labels)?.[1];
      if (le === undefined) continue;
      const bound = le === '+Inf' ? Infinity : Number(le);
      handled.set(bound, (handled.get(bound) ?? 0) + value);
    }
  }
  return lagP99 === null || lagMax === null ? null : { lagP99, lagMax, gc, handled };
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
  const { p99: handledP99Ms, max: handledMaxMs } = handledBounds(before.handled, after.handled);
  return {
    loopLagP99Ms: after.lagP99 * 1000,
    loopLagMaxMs: after.lagMax * 1000,
    gcCount: all.count,
    gcPauseMs: all.ms,
    majorGcCount: major.count,
    majorGcPauseMs: major.ms,
    handledP99Ms,
    handledMaxMs,
  };
}

/** The bucket bounds (ms) holding the 99th percentile and the slowest of the requests answered between two readings. */
function handledBounds(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): { p99: number | null; max: number | null } {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const within = (bound: number) => (after.get(bound) ?? 0) - (before.get(bound) ?? 0);
  const total = within(Infinity);
  if (total <= 0) return { p99: null, max: null };
  const first = (share: number) => {
    const bound = bounds.find((candidate) => within(candidate) >= share * total) ?? Infinity;
    return bound * 1000;
  };
  return { p99: first(0.99), max: first(1) };
}
