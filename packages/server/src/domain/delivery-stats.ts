/**
 * Delivery statistics from the panel's own orders: how many, how they ended, and how fast a
 * service (or a provider) delivers, the way the big panels show "average time".
 *
 * Average time: the mean, over a service's 10 most recently completed orders (status Completed;
 * partial and canceled ones are not deliveries), of each order's time from placing to completion
 * scaled to 1000 units: (completed_at − created_at) × 1000 / quantity, in milliseconds, each
 * rounded down, the mean rounded down. No completed order: unknown (null).
 */
export const AVERAGE_TIME_SAMPLE = 10;
/** An order is stuck when, scaled to 1000 units, it has waited more than this many average times. */
export const STUCK_FACTOR = 3n;

export interface CompletedSample {
  readonly createdAt: number;
  readonly completedAt: number;
  readonly quantity: number;
}

/** One order's completion time per 1000 units, in milliseconds (rounded down); a clock step back counts as 0. */
export function completionMsPer1000(sample: CompletedSample): bigint {
  const elapsed = BigInt(Math.max(0, sample.completedAt - sample.createdAt));
  return (elapsed * 1000n) / BigInt(Math.max(1, sample.quantity));
}

/**
 * The average time per 1000 units in milliseconds, from completed orders newest first (only the
 * first AVERAGE_TIME_SAMPLE count); null when there are none.
 */
export function averageCompletionMs(newestFirst: readonly CompletedSample[]): number | null {
  const samples = newestFirst.slice(0, AVERAGE_TIME_SAMPLE);
  if (samples.length === 0) return null;
  const total = samples.reduce((sum, sample) => sum + completionMsPer1000(sample), 0n);
  return Number(total / BigInt(samples.length));
}

/**
 * Whether an order still in progress is stuck: its wait so far, scaled to 1000 units like the
 * average, is more than three times its service's average time. Unknown average: never stuck.
 */
export function isStuck(
  order: { readonly createdAt: number; readonly quantity: number },
  averageMs: number | null,
  now: number,
): boolean {
  if (averageMs === null) return false;
  const waited = BigInt(Math.max(0, now - order.createdAt)) * 1000n;
  return waited > STUCK_FACTOR * BigInt(averageMs) * BigInt(Math.max(1, order.quantity));
}

/** The wait per 1000 units beyond which an order is stuck: what the store filters on. */
export function stuckAfterMsPer1000(averageMs: number): bigint {
  return STUCK_FACTOR * BigInt(averageMs);
}
