import { formatRate } from '../../domain/money.js';
import { listCategories } from '../../store/categories.js';
import { listAllServices } from '../../store/services.js';
import type { Context } from '../context.js';

/** Every category and service, enabled or not, in display order, with their provider backing. */
export async function listAdminCatalog(ctx: Context) {
  const [categories, services] = await Promise.all([listCategories(ctx.db), listAllServices(ctx.db)]);
  return {
    categories: categories.map((category) => ({
      id: category.id,
      name: category.name,
      sort: category.sort,
      services: category.services,
    })),
    services: services.map((service) => ({
      id: service.id,
      categoryId: service.categoryId,
      category: service.category,
      name: service.name,
      type: service.type,
      description: service.description,
      rate: formatRate(service.rate),
      min: service.minQuantity,
      max: service.maxQuantity,
      refill: service.refill,
      refillDays: service.refillDays,
      cancel: service.cancel,
      dripfeed: service.dripfeed,
      allowDuplicateLinks: service.allowDuplicateLinks,
      enabled: service.enabled,
      mode: service.mode,
      sort: service.sort,
      providerId: service.providerId,
      providerServiceId: service.providerServiceId,
      providerRate: service.providerRate === null ? null : formatRate(service.providerRate),
    })),
  };
}
