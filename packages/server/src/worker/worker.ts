import { performance } from 'node:perf_hooks';
import type { Context } from '../app/context.js';

/**
 * What a run resolves to when it stopped at its own limit with work still due (a backlog): the
 * worker runs the job again at once instead of after its interval.
 */
export const MORE_DUE = Symbol('more due');

/** A piece of background work, found from rows each time it runs, so a restart loses nothing. */
export interface Job {
  readonly name: string;
  readonly intervalMs: number;
  /** Resolves to MORE_DUE to be run again at once; anything else waits for the interval. */
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
 * logged and retried at its next turn; a run that says more is due (MORE_DUE) is followed by the
 * next one at once. `stop` waits for the runs in flight.
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
      const run = this.runOnce(job).then((moreDue) => {
        this.running.delete(run);
        this.schedule(job, moreDue ? 0 : job.intervalMs);
      });
      this.running.add(run);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Resolves to whether the run said more is due; never rejects. */
  private async runOnce(job: Job): Promise<boolean> {
    const started = performance.now();
    let outcome: 'ok' | 'error' = 'ok';
    let moreDue = false;
    try {
      moreDue = (await job.run(this.ctx)) === MORE_DUE;
    } catch (error) {
      outcome = 'error';
      this.log.error({ err: error, job: job.name }, 'worker job failed');
    }
    try {
      this.onRun?.(job.name, outcome, (performance.now() - started) / 1000);
    } catch (error) {
      this.log.error({ err: error, job: job.name }, 'worker job hook failed');
    }
    return moreDue;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.running);
  }
}
