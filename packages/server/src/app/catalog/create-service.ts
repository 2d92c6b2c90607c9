import { type Result, fail, ok } from '../../domain/errors.js';
import { formatRate } from '../../domain/money.js';
import { bumpCatalogVersion } from '../../store/catalog-version.js';
import { findOrCreateCategory } from '../../store/categories.js';
import type { Queryable } from '../../store/database.js';
import { findLinkedService, linkServiceToProvider } from '../../store/provider-services.js';
import { findProvider } from '../../store/providers.js';
import { type ServiceFields, insertService } from '../../store/services.js';
import type { ServiceUpdateSource } from '../../domain/service-updates.js';
import { recordAudit } from '../audit.js';
import { recordServiceUpdates } from './record-service-updates.js';
import type { Context } from '../context.js';
import {
  type FailoverSettings,
  checkFailoverSettings,
  storeFailoverSettings,
} from './set-service-failover.js';
import { type ServiceDraft, type ValidService, validateServiceDraft } from './service-draft.js';

/** A validated service as it is stored: its category by id (created on first use). */
export async function storeServiceFields(
  tx: Queryable,
  service: ValidService,
  now: number,
): Promise<ServiceFields> {
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

/** Which provider service fulfils a provider-backed service (mode 'provider'). */
export interface ProviderBacking {
  readonly providerId: number;
  readonly providerServiceId: string;
  /** The provider's rate when known (an import); sync fills it in otherwise. */
  readonly providerRate?: bigint;
}

export async function createService(
  ctx: Context,
  draft: ServiceDraft,
  backing?: ProviderBacking,
  /** Backups and selling at a loss (`set-service-failover.ts`), stored with the service. */
  failover?: Omit<FailoverSettings, 'primary'>,
): Promise<Result<{ id: number }>> {
  const valid = validateServiceDraft(draft);
  if (!valid.ok) return valid;
  return ctx.db.transaction(async (tx) => {
    if (backing) {
      if (!(await findProvider(tx, backing.providerId))) {
        return fail<{ id: number }>({ code: 'PROVIDER_NOT_FOUND', id: backing.providerId });
      }
      const existing = await findLinkedService(tx, backing.providerId, backing.providerServiceId);
      if (existing !== null) {
        return fail<{ id: number }>({
          code: 'INVALID_INPUT',
          field: 'provider-service',
          reason: `provider service ${backing.providerServiceId} already backs service ${existing}`,
        });
      }
    }
    if (failover) {
      const primary = backing
        ? { providerId: backing.providerId, providerServiceId: backing.providerServiceId }
        : null;
      const checked = await checkFailoverSettings(tx, { primary, fallbacks: [] }, failover);
      if (!checked.ok) return checked;
    }
    const id = await insertServiceIn(tx, ctx, valid.value, backing);
    if (failover) await storeFailoverSettings(tx, ctx, id, failover);
    await bumpCatalogVersion(tx);
    return ok({ id });
  });
}

/** Inserts and audits a validated service in the caller's transaction; the caller bumps the catalogue version. */
export async function insertServiceIn(
  tx: Queryable,
  ctx: Context,
  service: ValidService,
  backing?: ProviderBacking,
  source: ServiceUpdateSource = 'admin',
): Promise<number> {
  const now = ctx.clock.now();
  const id = await insertService(tx, await storeServiceFields(tx, service, now), now);
  await recordServiceUpdates(tx, ctx, { serviceId: id, before: null, after: service, source });
  const details: Record<string, unknown> = { ...service };
  if (backing) {
    const providerRate = backing.providerRate ?? null;
    await linkServiceToProvider(tx, id, { ...backing, providerRate });
    details.provider = backing.providerId;
    details.providerService = backing.providerServiceId;
    details.providerRate = providerRate === null ? null : formatRate(providerRate);
  }
  await recordAudit(tx, ctx, 'service.create', `service:${id}`, details);
  return id;
}
