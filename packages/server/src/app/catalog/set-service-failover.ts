import { type Result, fail, ok } from '../../domain/errors.js';
import type { Queryable } from '../../store/database.js';
import { findLinkedService, linkServiceToProvider } from '../../store/provider-services.js';
import { findProvider } from '../../store/providers.js';
import {
  type ProviderLink,
  type ServiceFallbacks,
  findServiceFallbacks,
  replaceServiceFallbacks,
  setSellAtLoss,
} from '../../store/service-fallbacks.js';
import { bumpCatalogVersion } from '../../store/catalog-version.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

/** A service's backups at most: each one is a provider call when the ones before refuse. */
export const MAX_FALLBACKS = 5;

/** What the owner changes about where a service's orders go; only what is given changes. */
export interface FailoverSettings {
  /** The service's own provider (makes a manual service provider-backed). */
  readonly primary?: ProviderLink;
  /** The backups, in order; an empty list clears them. */
  readonly fallbacks?: readonly ProviderLink[];
  readonly sellAtLoss?: boolean;
}

const invalid = (field: string, reason: string) => fail<never>({ code: 'INVALID_INPUT', field, reason });
const key = (link: ProviderLink) => `${link.providerId}:${link.providerServiceId}`;

/**
 * Checks the settings against a service's current ones (in the caller's transaction): every
 * provider exists, a service id is 1-100 characters, a backup is neither the primary nor named
 * twice, and only a provider-backed service has backups.
 */
export async function checkFailoverSettings(
  tx: Queryable,
  current: Pick<ServiceFallbacks, 'primary' | 'fallbacks'>,
  settings: FailoverSettings,
): Promise<Result<void>> {
  const primary = settings.primary ?? current.primary;
  const fallbacks = settings.fallbacks ?? current.fallbacks;
  for (const link of [...(settings.primary ? [settings.primary] : []), ...(settings.fallbacks ?? [])]) {
    const id = link.providerServiceId.trim();
    if (id === '' || id.length > 100 || id !== link.providerServiceId) {
      return invalid('fallback', "a provider's service id is 1-100 characters");
    }
    if (!(await findProvider(tx, link.providerId)))
      return fail({ code: 'PROVIDER_NOT_FOUND', id: link.providerId });
  }
  if (fallbacks.length > MAX_FALLBACKS) return invalid('fallback', `at most ${MAX_FALLBACKS} backups`);
  if (fallbacks.length > 0 && primary === null) {
    return invalid('fallback', 'a manual service has no provider to fall back from: give --provider too');
  }
  const seen = new Set(primary ? [key(primary)] : []);
  for (const link of fallbacks) {
    if (seen.has(key(link)))
      return invalid('fallback', `${key(link)} is named twice (or is the service's own provider)`);
    seen.add(key(link));
  }
  return ok(undefined);
}

/** Stores checked settings in the caller's transaction and records them in the audit log. */
export async function storeFailoverSettings(
  tx: Queryable,
  ctx: Context,
  serviceId: number,
  settings: FailoverSettings,
): Promise<void> {
  const now = ctx.clock.now();
  if (settings.primary) {
    await linkServiceToProvider(tx, serviceId, { ...settings.primary, providerRate: null });
    await bumpCatalogVersion(tx);
  }
  if (settings.fallbacks) await replaceServiceFallbacks(tx, serviceId, settings.fallbacks, now);
  if (settings.sellAtLoss !== undefined) await setSellAtLoss(tx, serviceId, settings.sellAtLoss);
  await recordAudit(tx, ctx, 'service.failover', `service:${serviceId}`, { ...settings });
}

/** Changes where a service's orders go: its provider, its backups in order, selling at a loss. */
export async function setServiceFailover(
  ctx: Context,
  serviceId: number,
  settings: FailoverSettings,
): Promise<Result<ServiceFallbacks>> {
  return ctx.db.transaction(async (tx) => {
    const current = await findServiceFallbacks(tx, serviceId);
    if (!current) return fail<ServiceFallbacks>({ code: 'SERVICE_NOT_FOUND', id: serviceId });
    const checked = await checkFailoverSettings(tx, current, settings);
    if (!checked.ok) return checked;
    if (settings.primary) {
      const linked = await findLinkedService(
        tx,
        settings.primary.providerId,
        settings.primary.providerServiceId,
      );
      if (linked !== null && linked !== serviceId) {
        return invalid(
          'provider-service',
          `provider service ${settings.primary.providerServiceId} already backs service ${linked}`,
        );
      }
    }
    await storeFailoverSettings(tx, ctx, serviceId, settings);
    return ok((await findServiceFallbacks(tx, serviceId))!);
  });
}

/** A service's failover settings, as the admin page and the CLI show them. */
export async function showServiceFailover(
  ctx: Context,
  serviceId: number,
): Promise<Result<ServiceFallbacks>> {
  const found = await findServiceFallbacks(ctx.db, serviceId);
  return found ? ok(found) : fail({ code: 'SERVICE_NOT_FOUND', id: serviceId });
}
