import { FailureSignal, type Result, fail, ok } from '../../domain/errors.js';
import { bumpCatalogVersion } from '../../store/catalog-version.js';
import { findService, setServiceEnabled } from '../../store/services.js';
import { recordAudit } from '../audit.js';
import { transactOrRollBack } from '../rollback-on-failure.js';
import type { Context } from '../context.js';
import { recordServiceUpdates, termsOf } from './record-service-updates.js';

export const MAX_BULK_SERVICES = 1000;

/** Enables or disables many services at once: one transaction, one audit entry per service. */
export async function setServicesEnabled(
  ctx: Context,
  input: { ids: readonly number[]; enabled: boolean },
): Promise<Result<{ changed: number }>> {
  const ids = [...new Set(input.ids)];
  if (ids.length === 0 || ids.length > MAX_BULK_SERVICES) {
    return fail({ code: 'INVALID_INPUT', field: 'services', reason: `1 to ${MAX_BULK_SERVICES} services` });
  }
  return transactOrRollBack(ctx.db, async (tx) => {
    let changed = 0;
    for (const id of ids) {
      const existing = await findService(tx, id);
      if (!existing) throw new FailureSignal({ code: 'SERVICE_NOT_FOUND', id });
      if (await setServiceEnabled(tx, id, input.enabled, ctx.clock.now())) {
        changed += 1;
        const before = termsOf(existing);
        const after = { ...before, enabled: input.enabled };
        await recordServiceUpdates(tx, ctx, { serviceId: id, before, after, source: 'admin' });
        await recordAudit(tx, ctx, 'service.update', `service:${id}`, { enabled: input.enabled });
      }
    }
    await bumpCatalogVersion(tx);
    return ok({ changed });
  });
}
