import { formatRate } from '../../domain/money.js';
import { effectiveRate } from '../../domain/pricing.js';
import { SERVICE_TYPES, SUBSCRIPTION_DELAYS } from '../../domain/service-types.js';
import { listEnabledServices } from '../../store/catalog.js';
import { listRatesOfUser } from '../../store/user-rates.js';
import type { Context } from '../context.js';

/**
 * The price list a customer sees (their custom rates applied), each service with its type's
 * parameter set from the same table `add` validates against, so the order form asks for exactly
 * what the API requires.
 */
export async function listCatalog(ctx: Context, userId: number) {
  const [services, rates] = await Promise.all([listEnabledServices(ctx.db), listRatesOfUser(ctx.db, userId)]);
  const custom = new Map(rates.map((rate) => [rate.serviceId, rate.rate]));
  return {
    services: services.map((row) => {
      const spec = SERVICE_TYPES[row.type];
      return {
        id: Number(row.id),
        name: row.name,
        category: row.category,
        type: row.type,
        description: row.description,
        rate: formatRate(effectiveRate(row.rate, custom.get(Number(row.id)))),
        min: Number(row.min_quantity),
        max: Number(row.max_quantity),
        refill: row.refill === 1n,
        cancel: row.cancel === 1n,
        dripfeed: row.dripfeed === 1n && spec.dripfeedCapable,
        oldPosts: row.old_posts === 1n,
      };
    }),
    subscriptionDelays: SUBSCRIPTION_DELAYS,
    types: Object.fromEntries(
      Object.values(SERVICE_TYPES).map((spec) => [
        spec.name,
        { required: spec.required, optional: spec.optional, quantity: spec.quantity, pricing: spec.pricing },
      ]),
    ),
  };
}

export type Catalog = Awaited<ReturnType<typeof listCatalog>>;
