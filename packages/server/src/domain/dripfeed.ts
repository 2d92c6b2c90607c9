import type { OrderStatus } from './order-status.js';
import { isFinalOrderStatus } from './order-status.js';

export interface DripfeedParent {
  /** Quantity of each run. */
  readonly quantity: number;
  readonly runs: number;
  /** The customer canceled: no further runs will be created. */
  readonly stopped: boolean;
}

export interface DripfeedRun {
  readonly status: OrderStatus;
  readonly remains: number;
}

export interface DripfeedProgress {
  readonly status: OrderStatus;
  /**
   * Units not delivered: of runs never created, of canceled runs, and what runs still owe
   * (each run's within 0..quantity), within 0..runs × quantity.
   */
  readonly remains: number;
  /** Every run that will exist exists and has finished: the parent can be settled. */
  readonly finished: boolean;
}

/**
 * A drip-feed parent's status follows its runs: Pending before the first, In progress while any
 * is open or more are due, then Completed when every run is, Canceled when nothing was delivered,
 * Partial otherwise.
 */
export function dripfeedProgress(parent: DripfeedParent, runs: readonly DripfeedRun[]): DripfeedProgress {
  const total = parent.quantity * parent.runs;
  let remains = Math.max(parent.runs - runs.length, 0) * parent.quantity;
  for (const run of runs) {
    remains +=
      run.status === 'canceled' ? parent.quantity : Math.min(Math.max(run.remains, 0), parent.quantity);
  }
  // Never more than the whole order, even if more runs exist than were asked for.
  remains = Math.min(remains, total);
  const allCreated = parent.stopped || runs.length >= parent.runs;
  const finished = allCreated && runs.every((run) => isFinalOrderStatus(run.status));
  if (!finished) return { status: runs.length === 0 ? 'pending' : 'in_progress', remains, finished };
  const status: OrderStatus = remains === 0 ? 'completed' : remains >= total ? 'canceled' : 'partial';
  return { status, remains, finished };
}

const MINUTE_MS = 60_000;

/**
 * When the next run of a drip-feed is due, run `created` having just been created at `now`. Run n
 * is scheduled at createdAt + (n − 1) × interval, but a run that came late (the worker was down)
 * pushes the next one back: it is due one interval after the later of the two, so runs are never
 * closer together than one interval and a backlog is never created in a burst.
 */
export function nextDripfeedRunAt(
  parent: { readonly createdAt: number; readonly intervalMinutes: number },
  created: number,
  now: number,
): number {
  const intervalMs = Math.max(parent.intervalMinutes, 1) * MINUTE_MS;
  const scheduled = parent.createdAt + (created - 1) * intervalMs;
  return Math.max(now, scheduled) + intervalMs;
}
