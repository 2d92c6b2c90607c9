import type { Clock } from '../context.js';
import type { Database } from '../../store/database.js';
import {
  addRateLimitCounts,
  deleteRateLimitCountsBefore,
  readRateLimitCounts,
} from '../../store/rate-limits.js';

export const WINDOW_MS = 60_000;

/** One user's count in the current window (all their API keys and web ordering), as this node knows it. */
interface KeyWindow {
  windowStart: number;
  /** The cluster-wide count read back at the last flush (this node's reported requests included). */
  cluster: number;
  /** Admitted here and being reported by the flush in progress. */
  reporting: number;
  /** Admitted here since then. */
  unreported: number;
  /** The first read of the user's shared count in this window, while it runs. */
  loading: Promise<void> | null;
}

export interface RateLimiterLog {
  error(details: object, message: string): void;
}

export interface RateLimiterOptions {
  readonly clock: Clock;
  /** Requests per minute for a user without a limit of their own; 0: none. */
  readonly defaultPerMinute: number;
  /**
   * Where nodes add up their counts (PostgreSQL, several serve processes); null keeps counting
   * in this process only (SQLite: one process serves the database).
   */
  readonly shared: Database | null;
  /** How often counts are reported to, and read back from, `shared`. */
  readonly flushIntervalMs?: number;
  readonly log?: RateLimiterLog;
}

/**
 * Per-user request limits (every API key of the user and their web ordering together, so more
 * keys never mean more requests) in fixed one-minute windows, without a database write per request:
 * each node counts locally and, every `flushIntervalMs`, adds what it admitted to a shared row
 * per user and window and reads the cluster-wide total back. A node therefore enforces the global
 * limit with what it knew at its last flush: between two flushes, it cannot see what the other
 * nodes admitted (see the README for the resulting tolerance).
 */
export class RateLimiter {
  private readonly windows = new Map<number, KeyWindow>();
  private readonly flushIntervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private prunedBefore = 0;

  constructor(private readonly options: RateLimiterOptions) {
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
  }

  /** The limit that applies to a user: their own (0 = none), else the panel's default. */
  limitFor(userPerMinute: number | null): number {
    return userPerMinute ?? this.options.defaultPerMinute;
  }

  /**
   * Counts one request of this user when it is within the limit and answers 0; over the limit it
   * counts nothing and answers the seconds until the window ends (for `Retry-After`). Synchronous,
   * except for a user's first request of a window on a node sharing its counts: that one waits for
   * the user's count so far (one read per user and minute), so a node never starts a window blind.
   */
  admit(userId: number, userPerMinute: number | null): number | Promise<number> {
    const limit = userPerMinute ?? this.options.defaultPerMinute;
    if (limit === 0) return 0;
    const now = this.options.clock.now();
    const windowStart = now - (now % WINDOW_MS);
    let entry = this.windows.get(userId);
    if (entry === undefined || entry.windowStart !== windowStart) {
      entry = { windowStart, cluster: 0, reporting: 0, unreported: 0, loading: null };
      this.windows.set(userId, entry);
      if (this.options.shared !== null) entry.loading = this.load(this.options.shared, userId, entry);
    }
    if (entry.loading !== null) {
      const loaded = entry;
      return entry.loading.then(() => this.decide(loaded, limit, now));
    }
    return this.decide(entry, limit, now);
  }

  private decide(entry: KeyWindow, limit: number, now: number): number {
    if (entry.cluster + entry.reporting + entry.unreported >= limit) {
      return Math.max(1, Math.ceil((entry.windowStart + WINDOW_MS - now) / 1000));
    }
    entry.unreported++;
    return 0;
  }

  /**
   * Takes back one request `admit` counted for this user in the current window, not yet reported
   * to the other nodes: one that turned out not to be theirs to count (the key was no longer
   * valid) or to have been judged by a limit that had changed (see add-for-cached-caller.ts).
   */
  takeBack(userId: number): void {
    const entry = this.windows.get(userId);
    const now = this.options.clock.now();
    if (entry === undefined || entry.windowStart !== now - (now % WINDOW_MS)) return;
    if (entry.unreported > 0) entry.unreported--;
  }

  /** Reads what the other nodes counted for this user in the window so far. */
  private async load(shared: Database, userId: number, entry: KeyWindow): Promise<void> {
    try {
      const counts = await readRateLimitCounts(shared, entry.windowStart, [userId]);
      entry.cluster = Math.max(entry.cluster, counts.get(userId) ?? 0);
    } catch (error) {
      // Count locally; the next flush shares and reads again.
      this.options.log?.error({ err: error }, 'rate limit count could not be read');
    } finally {
      entry.loading = null;
    }
  }

  /** Starts the periodic flush (shared) or the pruning of past windows (in-process). */
  start(): void {
    if (this.timer !== null) return;
    const interval = this.options.shared === null ? WINDOW_MS : this.flushIntervalMs;
    this.timer = setInterval(() => void this.flush(), interval);
    this.timer.unref();
  }

  /** Stops the timer and reports what is still unreported (call before closing the database). */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    // A flush already running took its counts before the last requests: one more reports those.
    if (this.flushing !== null) await this.flushing;
    await this.flush();
  }

  /** Reports this node's counts and reads the cluster's back; one flush at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const now = this.options.clock.now();
    const windowStart = now - (now % WINDOW_MS);
    const shared = this.options.shared;
    const deltas: { userId: number; admitted: number }[] = [];
    const idle: number[] = [];
    for (const [userId, entry] of this.windows) {
      if (entry.windowStart !== windowStart) {
        // A past window: its count no longer matters anywhere.
        this.windows.delete(userId);
      } else if (shared !== null && entry.unreported > 0) {
        entry.reporting = entry.unreported;
        entry.unreported = 0;
        deltas.push({ userId, admitted: entry.reporting });
      } else if (shared !== null && entry.loading === null) {
        // Quiet here since the last flush, maybe busy elsewhere: read what the others counted.
        idle.push(userId);
      }
    }
    if (shared === null) return;
    let totals: Map<number, number>;
    try {
      totals = await addRateLimitCounts(shared, windowStart, deltas);
    } catch (error) {
      // Keep counting locally; the next flush reports these again.
      for (const { userId } of deltas) {
        const entry = this.windows.get(userId);
        if (entry?.windowStart === windowStart) {
          entry.unreported += entry.reporting;
          entry.reporting = 0;
        }
      }
      this.options.log?.error({ err: error }, 'rate limit counts could not be shared');
      return;
    }
    for (const { userId } of deltas) {
      const entry = this.windows.get(userId);
      if (entry?.windowStart !== windowStart) continue;
      entry.cluster = totals.get(userId) ?? entry.cluster + entry.reporting;
      entry.reporting = 0;
    }
    try {
      const counts = await readRateLimitCounts(shared, windowStart, idle);
      for (const [userId, count] of counts) {
        const entry = this.windows.get(userId);
        // Counts only grow within a window; a read that raced a flush of ours must not lower it.
        if (entry?.windowStart === windowStart) entry.cluster = Math.max(entry.cluster, count);
      }
    } catch (error) {
      this.options.log?.error({ err: error }, 'rate limit counts could not be read');
    }
    await this.prunePastWindows(shared, windowStart);
  }

  /** Once a window: rows of windows before the previous one are of no use to any node. */
  private async prunePastWindows(shared: Database, windowStart: number): Promise<void> {
    const before = windowStart - WINDOW_MS;
    if (this.prunedBefore >= before) return;
    this.prunedBefore = before;
    try {
      await deleteRateLimitCountsBefore(shared, before);
    } catch (error) {
      this.options.log?.error({ err: error }, 'old rate limit counts could not be deleted');
    }
  }
}
