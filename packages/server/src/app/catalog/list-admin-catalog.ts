import { formatRate } from '../../domain/money.js';
import { listAllServices, listCategories } from '../../store/catalog-admin.js';
import type { Context } from '../context.js';

/** Every category and service, enabled or not, in display order, with their provider backing. */
export async function listAdminCatalog(ctx: Context) {
  const [categories, services] = await Promise.all([listCategories(ctx.db), listAllServices(ctx.db)]);
  return {
    categories: categories.map((row) => ({
      id: Number(row.id),
      name: row.name,
      sort: Number(row.sort),
      services: Number(row.services),
    })),
    services: services.map((row) => ({
      id: Number(row.id),
      categoryId: Number(row.category_id),
      category: row.category,
      name: row.name,
      type: row.type,
      description: row.description,
      rate: formatRate(row.rate),
      min: Number(row.min_quantity),
      max: Number(row.max_quantity),
      refill: row.refill === 1n,
      refillDays: Number(row.refill_days),
      cancel: row.cancel === 1n,
      dripfeed: row.dripfeed === 1n,
      allowDuplicateLinks: row.allow_duplicate_links === 1n,
      enabled: row.enabled === 1n,
      mode: row.mode,
      sort: Number(row.sort),
      providerId: row.provider_id === null ? null : Number(row.provider_id),
      providerServiceId: row.provider_service_id,
      providerRate: row.provider_rate === null ? null : formatRate(row.provider_rate),
    })),
  };
}
