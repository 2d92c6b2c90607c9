import { formatRate } from '../../domain/money.js';
import { effectiveRate } from '../../domain/pricing.js';
import { SERVICE_TYPES, SUBSCRIPTION_DELAYS, readServiceTypeName } from '../../domain/service-types.js';
import { listEnabledServices } from '../../store/services.js';
import { listRatesOfUser } from '../../store/user-rates.js';
import type { Context } from '../context.js';
import { averageSeconds, averageTimes } from '../delivery/average-times.js';

/**
 * The price list a customer sees (their custom rates applied), each service with its type's
 * parameter set from the same table `add` validates against, so the order form asks for exactly
 * what the API requires.
 */
export async function listCatalog(ctx: Context, userId: number) {
  const [services, rates, averages] = await Promise.all([
    listEnabledServices(ctx.db),
    listRatesOfUser(ctx.db, userId),
    averageTimes(ctx, 'service'),
  ]);
  const custom = new Map(rates.map((rate) => [rate.serviceId, rate.rate]));
  return {
    services: services.map((service) => {
      const spec = SERVICE_TYPES[readServiceTypeName(service.type)];
      return {
        id: service.id,
        name: service.name,
        category: service.category,
        type: spec.name,
        description: service.description,
        rate: formatRate(effectiveRate(service.rate, custom.get(service.id))),
        min: service.minQuantity,
        max: service.maxQuantity,
        refill: service.refill,
        cancel: service.cancel,
        dripfeed: service.dripfeed && spec.dripfeedCapable,
        oldPosts: service.oldPosts,
        averageTimeSeconds: averageSeconds(averages.get(service.id)),
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
