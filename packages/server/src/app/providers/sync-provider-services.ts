import { type Result, fail, failureMessage, ok } from '../../domain/errors.js';
import { markedUpRate } from '../../domain/markup.js';
import { convertToPanel } from '../../domain/currency.js';
import { formatMoney, formatRate } from '../../domain/money.js';
import { bumpCatalogVersion } from '../../store/catalog-version.js';
import { type ProviderServiceTerms, updateProviderServiceTerms } from '../../store/provider-services.js';
import { findProvider } from '../../store/providers.js';
import { type ProviderBackedService, listServicesOfProvider } from '../../store/services.js';
import { wasDisabledBySync } from '../../store/service-updates.js';
import { recordAudit } from '../audit.js';
import { recordServiceUpdates, termsOf } from '../catalog/record-service-updates.js';
import { validateServiceDraft } from '../catalog/service-draft.js';
import { draftOf } from '../catalog/update-service.js';
import { type Context, secretsOf } from '../context.js';
import type { FollowPrices, OnRemoved } from '../../domain/catalog-sync.js';
import { loadRateTable, providerConversion } from '../currencies/rate-table.js';
import { askProvider } from './provider-connection.js';
import { type ProviderOffer, readProviderOffer } from './provider-offer.js';

export interface FieldChange {
  readonly service: number;
  readonly providerService: string;
  readonly field: 'providerRate' | 'rate' | 'min' | 'max' | 'refill' | 'cancel' | 'dripfeed';
  readonly old: string | number | boolean | null;
  readonly new: string | number | boolean;
}

export interface SyncReport {
  readonly provider: number;
  readonly changed: FieldChange[];
  /** Local services whose provider service is gone: disabled. */
  readonly disabled: { service: number; providerService: string }[];
  /** Present when services a sync had disabled are offered again: enabled. */
  enabled?: { service: number; providerService: string }[];
  /** Provider services whose new terms smmkit cannot take: left as they were. */
  readonly skipped: { service: number; providerService: string; reason: string }[];
  /** Always 0: sync never imports; `notImported` lists what `provider import` would add. */
  readonly added: 0;
  readonly notImported: string[];
  /**
   * Present when the provider's policies hold changes back (`provider set --follow-prices notify`,
   * `--on-removed notify`): what changed at the provider and was left as it was here.
   */
  notices?: SyncNotices;
}

export interface SyncNotices {
  readonly prices: {
    service: number;
    providerService: string;
    oldProviderRate: string;
    newProviderRate: string;
    rate: string;
    /** The rate with the import's markup, which keep-markup would set. */
    withMarkup: string;
  }[];
  readonly removed: { service: number; providerService: string }[];
}

/** What a sync does with a moved rate and a removed service (the provider's scheduled-sync policies). */
export interface SyncPolicy {
  readonly followPrices: FollowPrices;
  readonly onRemoved: OnRemoved;
}
export const DEFAULT_SYNC_POLICY: SyncPolicy = { followPrices: 'keep-markup', onRemoved: 'disable' };

/** The terms a local service takes from the provider's current offer. */
function termsFrom(
  service: ProviderBackedService,
  offer: ProviderOffer,
  rate: bigint,
): ProviderServiceTerms & { providerRate: bigint } {
  return {
    rate,
    providerRate: offer.rate,
    minQuantity: offer.min,
    maxQuantity: offer.max,
    refill: offer.refill,
    cancel: offer.cancel,
    dripfeed: offer.dripfeed,
    enabled: service.enabled,
  };
}

function fieldChanges(
  service: ProviderBackedService,
  terms: ProviderServiceTerms & { providerRate: bigint },
): FieldChange[] {
  const base = { service: service.id, providerService: service.providerServiceId };
  const changes: FieldChange[] = [];
  if (service.providerRate !== terms.providerRate) {
    changes.push({
      ...base,
      field: 'providerRate',
      old: service.providerRate === null ? null : formatRate(service.providerRate),
      new: formatRate(terms.providerRate),
    });
  }
  if (service.rate !== terms.rate) {
    changes.push({ ...base, field: 'rate', old: formatRate(service.rate), new: formatRate(terms.rate) });
  }
  const counts = [
    ['min', service.minQuantity, terms.minQuantity],
    ['max', service.maxQuantity, terms.maxQuantity],
  ] as const;
  for (const [field, old, now] of counts) if (old !== now) changes.push({ ...base, field, old, new: now });
  const flags = [
    ['refill', service.refill, terms.refill],
    ['cancel', service.cancel, terms.cancel],
    ['dripfeed', service.dripfeed, terms.dripfeed],
  ] as const;
  for (const [field, old, now] of flags) if (old !== now) changes.push({ ...base, field, old, new: now });
  return changes;
}

/**
 * Applies a provider's current catalogue to the services it backs: rate (with the remembered
 * markup), min, max and flags; services the provider no longer offers are disabled. New provider
 * services are only listed. One transaction, one catalogue version bump, one audit entry per service.
 */
export async function syncProviderServices(
  ctx: Context,
  providerId: number,
  policy: SyncPolicy = DEFAULT_SYNC_POLICY,
): Promise<Result<SyncReport>> {
  const provider = await findProvider(ctx.db, providerId);
  if (!provider) return fail({ code: 'PROVIDER_NOT_FOUND', id: providerId });
  // Provider rates are kept in the panel's currency, so a new exchange rate moves them like a price
  // change does; without a rate for the provider's currency nothing is re-priced or changed.
  const conversion = providerConversion(await loadRateTable(ctx), provider);
  if (!conversion.ok) return conversion;
  const catalogue = await askProvider(
    { name: provider.name, url: provider.url, apiKey: secretsOf(ctx).open(provider.apiKey) },
    (client) => client.services(),
  );
  if (!catalogue.ok) return catalogue;
  const offered = new Map(catalogue.value.map((s) => [String(s.service), s]));
  const markup = provider.markup;

  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const report: SyncReport = {
      provider: providerId,
      changed: [],
      disabled: [],
      skipped: [],
      added: 0,
      notImported: [],
    };
    const notices: SyncNotices = { prices: [], removed: [] };
    const enabled: { service: number; providerService: string }[] = [];
    const linked = await listServicesOfProvider(tx, providerId);
    const linkedIds = new Set(linked.map((service) => service.providerServiceId));
    for (const service of linked) {
      const providerService = service.providerServiceId;
      const upstream = offered.get(providerService);
      if (!upstream) {
        if (!service.enabled) continue;
        if (policy.onRemoved === 'notify') {
          notices.removed.push({ service: service.id, providerService });
          continue;
        }
        await updateProviderServiceTerms(tx, service.id, { ...service, enabled: false }, now);
        const before = termsOf(service);
        const after = { ...before, enabled: false };
        await recordServiceUpdates(tx, ctx, { serviceId: service.id, before, after, source: 'sync' });
        await recordAudit(tx, ctx, 'service.sync', `service:${service.id}`, {
          provider: providerId,
          disabled: 'removed by the provider',
        });
        report.disabled.push({ service: service.id, providerService });
        continue;
      }
      const reading = readProviderOffer(upstream);
      if (!reading.ok) {
        report.skipped.push({ service: service.id, providerService, reason: reading.reason });
        continue;
      }
      const offer = { ...reading.offer, rate: convertToPanel(reading.offer.rate, conversion.rate) };
      // A rate set by hand (no provider rate known yet) stays until the provider's rate moves.
      const moved = service.providerRate !== null && service.providerRate !== offer.rate;
      const withMarkup = markedUpRate(offer.rate, markup);
      const follow = policy.followPrices === 'keep-markup';
      const rate = moved && follow ? withMarkup : service.rate;
      // A price held back keeps the provider rate it was set against, so the difference stays visible.
      // Back on offer after a sync disabled it: on sale again (an admin's own disabling stays).
      const reenabled = !service.enabled && (await wasDisabledBySync(tx, service.id));
      const terms = {
        ...termsFrom(service, offer, rate),
        ...(moved && !follow ? { providerRate: service.providerRate } : {}),
        ...(reenabled ? { enabled: true } : {}),
      };
      if (moved && policy.followPrices === 'notify' && service.providerRate !== null) {
        notices.prices.push({
          service: service.id,
          providerService,
          oldProviderRate: formatRate(service.providerRate),
          newProviderRate: formatRate(offer.rate),
          rate: formatRate(service.rate),
          withMarkup: formatRate(withMarkup),
        });
      }
      const changes = fieldChanges(service, terms);
      if (changes.length === 0 && !reenabled) continue;
      const valid = validateServiceDraft({
        ...draftOf(service),
        rate: formatMoney(terms.rate),
        min: terms.minQuantity,
        max: terms.maxQuantity,
        refill: terms.refill,
        cancel: terms.cancel,
        dripfeed: terms.dripfeed,
      });
      if (!valid.ok) {
        report.skipped.push({ service: service.id, providerService, reason: failureMessage(valid.failure) });
        continue;
      }
      await updateProviderServiceTerms(tx, service.id, terms, now);
      await recordServiceUpdates(tx, ctx, {
        serviceId: service.id,
        before: termsOf(service),
        after: termsOf(terms),
        source: 'sync',
      });
      if (reenabled) enabled.push({ service: service.id, providerService });
      await recordAudit(tx, ctx, 'service.sync', `service:${service.id}`, {
        provider: providerId,
        changes: changes.map(({ field, old, new: value }) => ({ field, old, new: value })),
        ...(reenabled ? { enabled: 'offered again by the provider' } : {}),
      });
      report.changed.push(...changes);
    }
    for (const id of offered.keys()) if (!linkedIds.has(id)) report.notImported.push(id);
    if (enabled.length > 0) report.enabled = enabled;
    const touched = report.changed.length + report.disabled.length + enabled.length;
    if (touched > 0) await bumpCatalogVersion(tx);
    if (notices.prices.length > 0 || notices.removed.length > 0) report.notices = notices;
    return ok(report);
  });
}
