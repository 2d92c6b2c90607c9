import { type Result, fail, failureMessage, ok } from '../../domain/errors.js';
import { type Markup, describeMarkup, markedUpRate } from '../../domain/markup.js';
import { convertToPanel } from '../../domain/currency.js';
import { formatMoney, formatRate } from '../../domain/money.js';
import { bumpCatalogVersion } from '../../store/catalog-version.js';
import { findLinkedService } from '../../store/provider-services.js';
import { findProvider, recordProviderMarkup } from '../../store/providers.js';
import { insertServiceIn } from '../catalog/create-service.js';
import { SERVICE_DEFAULTS, validateServiceDraft } from '../catalog/service-draft.js';
import { recordAudit } from '../audit.js';
import { type Context, secretsOf } from '../context.js';
import { loadRateTable, providerConversion } from '../currencies/rate-table.js';
import { askProvider } from './provider-connection.js';
import { readProviderOffer } from './provider-offer.js';

export interface ImportInput {
  readonly providerId: number;
  /** Missing parts fall back to the provider's remembered markup (that of its last import). */
  readonly markup?: Partial<Markup>;
  /** Put before the provider's category name, e.g. "Upstream · ". */
  readonly categoryPrefix?: string;
  /** The provider's service ids to import; all of them when absent. */
  readonly providerServiceIds?: readonly string[];
}

export interface ImportReport {
  readonly provider: number;
  readonly markup: string;
  readonly created: { service: number; providerService: string; name: string; rate: string }[];
  readonly alreadyImported: { service: number; providerService: string }[];
  readonly skipped: { providerService: string; reason: string }[];
}

/**
 * Creates a local, provider-backed service for each provider service not imported yet, priced at
 * the provider's rate with the markup, and remembers the markup for sync. One transaction: the
 * catalogue changes as a whole or not at all.
 */
export async function importProviderServices(
  ctx: Context,
  input: ImportInput,
): Promise<Result<ImportReport>> {
  const provider = await findProvider(ctx.db, input.providerId);
  if (!provider) return fail({ code: 'PROVIDER_NOT_FOUND', id: input.providerId });
  // Prices are set in the panel's currency: a provider billing in one without a rate imports nothing.
  const conversion = providerConversion(await loadRateTable(ctx), provider);
  if (!conversion.ok) return conversion;
  const catalogue = await askProvider(
    { name: provider.name, url: provider.url, apiKey: secretsOf(ctx).open(provider.apiKey) },
    (client) => client.services(),
  );
  if (!catalogue.ok) return catalogue;

  const markup: Markup = {
    percentHundredths: input.markup?.percentHundredths ?? provider.markup.percentHundredths,
    fixed: input.markup?.fixed ?? provider.markup.fixed,
  };
  const prefix = input.categoryPrefix ?? '';
  const wanted = input.providerServiceIds === undefined ? null : new Set(input.providerServiceIds);
  const offered = catalogue.value.filter((s) => wanted === null || wanted.has(String(s.service)));
  const skipped: ImportReport['skipped'] = [];
  if (wanted !== null) {
    const offeredIds = new Set(offered.map((s) => String(s.service)));
    for (const id of wanted) {
      if (!offeredIds.has(id)) skipped.push({ providerService: id, reason: 'not offered by the provider' });
    }
  }

  return ctx.db.transaction(async (tx) => {
    const created: ImportReport['created'] = [];
    const alreadyImported: ImportReport['alreadyImported'] = [];
    for (const service of offered) {
      const providerService = String(service.service);
      const existing = await findLinkedService(tx, input.providerId, providerService);
      if (existing !== null) {
        alreadyImported.push({ service: existing, providerService });
        continue;
      }
      const reading = readProviderOffer(service);
      if (!reading.ok) {
        skipped.push({ providerService, reason: reading.reason });
        continue;
      }
      // The provider's rate in the panel's currency (rounded up: a cost is never under-counted).
      const offer = { ...reading.offer, rate: convertToPanel(reading.offer.rate, conversion.rate) };
      const rate = markedUpRate(offer.rate, markup);
      const valid = validateServiceDraft({
        name: offer.name,
        type: offer.type,
        category: `${prefix}${offer.category}`,
        rate: formatMoney(rate),
        min: offer.min,
        max: offer.max,
        refill: offer.refill,
        refillDays: SERVICE_DEFAULTS.refillDays,
        cancel: offer.cancel,
        dripfeed: offer.dripfeed,
        allowDuplicateLinks: SERVICE_DEFAULTS.allowDuplicateLinks,
        description: offer.description,
        enabled: SERVICE_DEFAULTS.enabled,
      });
      if (!valid.ok) {
        skipped.push({ providerService, reason: failureMessage(valid.failure) });
        continue;
      }
      const id = await insertServiceIn(
        tx,
        ctx,
        valid.value,
        {
          providerId: input.providerId,
          providerServiceId: providerService,
          providerRate: offer.rate,
        },
        'import',
      );
      created.push({ service: id, providerService, name: valid.value.name, rate: formatRate(rate) });
    }
    await recordProviderMarkup(tx, input.providerId, { ...markup, now: ctx.clock.now() });
    if (created.length > 0) await bumpCatalogVersion(tx);
    await recordAudit(tx, ctx, 'provider.import', `provider:${input.providerId}`, {
      markup: describeMarkup(markup),
      created: created.map((c) => c.service),
    });
    return ok({
      provider: input.providerId,
      markup: describeMarkup(markup),
      created,
      alreadyImported,
      skipped,
    });
  });
}
