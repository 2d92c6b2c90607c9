import { FailureSignal, type Result, fail, ok } from '../../domain/errors.js';
import { type Markup, describeMarkup, markedUpRate } from '../../domain/markup.js';
import { formatRate } from '../../domain/money.js';
import { bumpCatalogVersion } from '../../store/catalog-version.js';
import { findService, setServiceRate } from '../../store/services.js';
import { recordAudit } from '../audit.js';
import { transactOrRollBack } from '../rollback-on-failure.js';
import type { Context } from '../context.js';
import { recordServiceUpdates, termsOf } from './record-service-updates.js';
import { MAX_BULK_SERVICES } from './set-services-enabled.js';

/**
 * Sets provider-backed services' rates to their provider's rate with a markup (the import's rule,
 * rounded up). One transaction: all of them or none; each change audited.
 */
export async function repriceServices(
  ctx: Context,
  input: { ids: readonly number[]; markup: Markup },
): Promise<Result<{ services: { id: number; rate: string }[] }>> {
  const ids = [...new Set(input.ids)];
  if (ids.length === 0 || ids.length > MAX_BULK_SERVICES) {
    return fail({ code: 'INVALID_INPUT', field: 'services', reason: `1 to ${MAX_BULK_SERVICES} services` });
  }
  return transactOrRollBack(ctx.db, async (tx) => {
    const services: { id: number; rate: string }[] = [];
    for (const id of ids) {
      const existing = await findService(tx, id);
      if (!existing) throw new FailureSignal({ code: 'SERVICE_NOT_FOUND', id });
      const providerRate = existing.providerRate;
      if (providerRate === null) {
        throw new FailureSignal({
          code: 'INVALID_INPUT',
          field: 'services',
          reason: `service ${id} has no provider rate`,
        });
      }
      const rate = markedUpRate(providerRate, input.markup);
      await setServiceRate(tx, id, rate, ctx.clock.now());
      const before = termsOf(existing);
      await recordServiceUpdates(tx, ctx, {
        serviceId: id,
        before,
        after: { ...before, rate },
        source: 'admin',
      });
      await recordAudit(tx, ctx, 'service.update', `service:${id}`, {
        rate: formatRate(rate),
        markup: describeMarkup(input.markup),
      });
      services.push({ id, rate: formatRate(rate) });
    }
    await bumpCatalogVersion(tx);
    return ok({ services });
  });
}
