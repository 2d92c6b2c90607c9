import { type Result, fail, ok } from '../../domain/errors.js';
import { formatRate } from '../../domain/money.js';
import {
  type ServiceRow,
  bumpCatalogVersion,
  findService,
  updateService as storeUpdate,
} from '../../store/catalog.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { storeServiceFields } from './create-service.js';
import { type ServiceDraft, validateServiceDraft } from './service-draft.js';

export function draftOf(row: ServiceRow): ServiceDraft {
  return {
    name: row.name,
    type: row.type,
    category: row.category,
    rate: formatRate(row.rate),
    min: Number(row.min_quantity),
    max: Number(row.max_quantity),
    refill: row.refill === 1n,
    refillDays: Number(row.refill_days),
    cancel: row.cancel === 1n,
    dripfeed: row.dripfeed === 1n,
    allowDuplicateLinks: row.allow_duplicate_links === 1n,
    allowOldPosts: row.old_posts === 1n,
    description: row.description,
    enabled: row.enabled === 1n,
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
    await bumpCatalogVersion(tx);
    await recordAudit(tx, ctx, 'service.update', `service:${id}`, { ...changes });
    return ok({ id });
  });
}
