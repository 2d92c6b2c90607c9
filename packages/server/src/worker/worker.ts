import { performance } from 'node:perf_hooks';
import type { Context } from '../app/context.js';

/** A piece of background work, found from rows each time it runs, so a restart loses nothing. */
export interface Job {
  readonly name: string;
  readonly intervalMs: number;
  run(ctx: Context): Promise<unknown>;
}

export interface WorkerLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Called after every run of a job (the metrics hook). */
export type JobRunHook = (job: string, outcome: 'ok' | 'error', seconds: number) => void;

/**
 * Runs each job on its own cadence until stopped. A job never overlaps itself; a failing run is
 * logged and retried at its next turn. `stop` waits for the runs in flight.
 */
export class Worker {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly ctx: Context,
    private readonly jobs: readonly Job[],
    private readonly log: WorkerLog,
    private readonly onRun?: JobRunHook,
  ) {}

  start(): void {
    for (const job of this.jobs) this.schedule(job, 0);
  }

  private schedule(job: Job, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = this.runOnce(job).finally(() => {
        this.running.delete(run);
        this.schedule(job, job.intervalMs);
      });
      this.running.add(run);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async runOnce(job: Job): Promise<void> {
    const started = performance.now();
    let outcome: 'ok' | 'error' = 'ok';
    try {
      await job.run(this.ctx);
    } catch (error) {
      outcome = 'error';
      this.log.error({ err: error, job: job.name }, 'worker job failed');
    }
    this.onRun?.(job.name, outcome, (performance.now() - started) / 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.running);
  }
}
