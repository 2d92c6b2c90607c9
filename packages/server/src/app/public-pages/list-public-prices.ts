import { formatRate } from '../../domain/money.js';
import { listEnabledServices } from '../../store/services.js';
import type { Context } from '../context.js';
import { averageSeconds, averageTimes } from '../delivery/average-times.js';

export interface PublicPriceCategory {
  readonly name: string;
  readonly services: readonly {
    readonly id: number;
    readonly name: string;
    /** Price per 1000 in the panel's currency, as exact decimal text (the base rate, no one's own price). */
    readonly rate: string;
    readonly min: number;
    readonly max: number;
    /** Average time per 1000 units in seconds (the client Services page's figure); null when unknown. */
    readonly averageTimeSeconds: number | null;
  }[];
}

/** The public price list: enabled services at their base rates, grouped by category in catalogue order. */
export async function listPublicPrices(ctx: Context): Promise<PublicPriceCategory[]> {
  const [services, averages] = await Promise.all([listEnabledServices(ctx.db), averageTimes(ctx, 'service')]);
  const categories = new Map<string, PublicPriceCategory['services'][number][]>();
  for (const service of services) {
    let list = categories.get(service.category);
    if (list === undefined) categories.set(service.category, (list = []));
    list.push({
      id: service.id,
      name: service.name,
      rate: formatRate(service.rate),
      min: service.minQuantity,
      max: service.maxQuantity,
      averageTimeSeconds: averageSeconds(averages.get(service.id)),
    });
  }
  return [...categories].map(([name, list]) => ({ name, services: list }));
}
