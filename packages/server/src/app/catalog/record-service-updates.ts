import {
  type ServiceTerms,
  type ServiceUpdateSource,
  serviceTermsChanges,
} from '../../domain/service-updates.js';
import type { Queryable } from '../../store/database.js';
import { insertServiceUpdate } from '../../store/service-updates.js';
import type { Service } from '../../store/services.js';
import type { Context } from '../context.js';

/** The terms a customer sees of a stored service (a validated draft has them under the same names). */
export function termsOf(
  service: Pick<Service, 'rate' | 'minQuantity' | 'maxQuantity' | 'enabled'>,
): ServiceTerms {
  return { rate: service.rate, min: service.minQuantity, max: service.maxQuantity, enabled: service.enabled };
}

/**
 * The one place a catalogue change becomes service updates: every path that writes a service's
 * price, bounds or availability (create, import, admin edit, bulk enable/disable, reprice, provider
 * sync) calls this in the transaction of the write, so the Updates page can miss none of them.
 */
export async function recordServiceUpdates(
  tx: Queryable,
  ctx: Context,
  change: {
    readonly serviceId: number;
    readonly before: ServiceTerms | null;
    readonly after: ServiceTerms;
    readonly source: ServiceUpdateSource;
  },
): Promise<void> {
  const now = ctx.clock.now();
  for (const update of serviceTermsChanges(change.before, change.after)) {
    await insertServiceUpdate(
      tx,
      {
        serviceId: change.serviceId,
        kind: update.kind,
        old: update.old,
        new: update.new,
        source: change.source,
      },
      now,
    );
  }
}
