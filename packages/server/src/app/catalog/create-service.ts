import { type Result, ok } from '../../domain/errors.js';
import { bumpCatalogVersion, findOrCreateCategory, insertService } from '../../store/catalog.js';
import type { Queryable } from '../../store/database.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { type ServiceDraft, type ValidService, validateServiceDraft } from './service-draft.js';

export async function storeServiceFields(tx: Queryable, service: ValidService, now: number) {
  const categoryId = await findOrCreateCategory(tx, service.category, now);
  return {
    categoryId,
    name: service.name,
    type: service.type,
    description: service.description,
    rate: service.rate,
    minQuantity: service.min,
    maxQuantity: service.max,
    refill: service.refill,
    refillDays: service.refillDays,
    cancel: service.cancel,
    dripfeed: service.dripfeed,
    allowDuplicateLinks: service.allowDuplicateLinks,
    oldPosts: service.allowOldPosts,
    enabled: service.enabled,
  };
}

export async function createService(ctx: Context, draft: ServiceDraft): Promise<Result<{ id: number }>> {
  const valid = validateServiceDraft(draft);
  if (!valid.ok) return valid;
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const id = await insertService(tx, await storeServiceFields(tx, valid.value, now), now);
    await bumpCatalogVersion(tx);
    await recordAudit(tx, ctx, 'service.create', `service:${id}`, { ...valid.value });
    return ok({ id });
  });
}
