import { averageCompletionMs } from '../../domain/delivery-stats.js';
import { type DeliveryGrouping, latestCompletedSamples } from '../../store/delivery-stats.js';
import type { Context } from '../context.js';

/** Each service's (provider's) average time per 1000 units in milliseconds; absent when unknown. */
export async function averageTimes(ctx: Context, by: DeliveryGrouping): Promise<Map<number, number>> {
  const samples = await latestCompletedSamples(ctx.db, by);
  const averages = new Map<number, number>();
  for (const [id, newestFirst] of samples) {
    const average = averageCompletionMs(newestFirst);
    if (average !== null) averages.set(id, average);
  }
  return averages;
}

/** As the web API shows it: whole seconds, rounded down; null when unknown. */
export function averageSeconds(averageMs: number | undefined): number | null {
  return averageMs === undefined ? null : Math.floor(averageMs / 1000);
}
