import { type Result, fail, ok } from '../../domain/errors.js';
import { formatRate } from '../../domain/money.js';
import { bumpCatalogVersion } from '../../store/catalog-version.js';
import { type Service, findService, updateService as storeUpdate } from '../../store/services.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { storeServiceFields } from './create-service.js';
import { recordServiceUpdates, termsOf } from './record-service-updates.js';
import { type ServiceDraft, validateServiceDraft } from './service-draft.js';

/** A stored service as a draft, so changes on top of it are validated like a new service. */
export function draftOf(service: Service): ServiceDraft {
  return {
    name: service.name,
    type: service.type,
    category: service.category,
    rate: formatRate(service.rate),
    min: service.minQuantity,
    max: service.maxQuantity,
    refill: service.refill,
    refillDays: service.refillDays,
    cancel: service.cancel,
    dripfeed: service.dripfeed,
    allowDuplicateLinks: service.allowDuplicateLinks,
    allowOldPosts: service.oldPosts,
    description: service.description,
    enabled: service.enabled,
  };
}

/** Applies the given changes on top of the stored service; the result is validated as a whole. */
export async function updateService(
  ctx: Context,
  id: number,
  changes: Partial<ServiceDraft>,
): Promise<Result<{ id: number }>> {
  return ctx.db.transaction(async (tx) => {
    const existing = await findService(tx, id);
    if (!existing) return fail<{ id: number }>({ code: 'SERVICE_NOT_FOUND', id });
    const valid = validateServiceDraft({ ...draftOf(existing), ...changes });
    if (!valid.ok) return valid;
    const now = ctx.clock.now();
    await storeUpdate(tx, id, await storeServiceFields(tx, valid.value, now), now);
    await recordServiceUpdates(tx, ctx, {
      serviceId: id,
      before: termsOf(existing),
      after: valid.value,
      source: 'admin',
    });
    await bumpCatalogVersion(tx);
    await recordAudit(tx, ctx, 'service.update', `service:${id}`, { ...changes });
    return ok({ id });
  });
}
