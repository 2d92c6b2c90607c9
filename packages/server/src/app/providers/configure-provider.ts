import { type Result, fail, ok } from '../../domain/errors.js';
import type { ProviderPolicy, RefusalPolicy } from '../../domain/fulfilment.js';
import { findProvider, updateProviderPolicy } from '../../store/providers.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';

export interface ProviderSettings {
  readonly honoursRequestId?: boolean | undefined;
  readonly onRefusal?: RefusalPolicy | undefined;
  /** Lift a pause (after topping up the provider balance): queued orders go out at the next pass. */
  readonly resume?: boolean | undefined;
}

/** Changes how the dispatcher treats a provider; audited. */
export async function configureProvider(
  ctx: Context,
  providerId: number,
  settings: ProviderSettings,
): Promise<Result<ProviderPolicy & { id: number; pausedUntil: string | null }>> {
  return ctx.db.transaction(async (tx) => {
    const provider = await findProvider(tx, providerId);
    if (!provider) return fail({ code: 'PROVIDER_NOT_FOUND', id: providerId });
    const policy: ProviderPolicy = {
      honoursRequestId: settings.honoursRequestId ?? provider.honoursRequestId,
      onRefusal: settings.onRefusal ?? provider.onRefusal,
    };
    const pausedUntil = settings.resume ? null : provider.pausedUntil;
    const now = ctx.clock.now();
    await updateProviderPolicy(tx, providerId, { ...policy, pausedUntil }, now);
    await recordAudit(tx, ctx, 'provider.configure', `provider:${providerId}`, { ...settings });
    return ok({
      id: providerId,
      ...policy,
      pausedUntil: pausedUntil === null ? null : new Date(pausedUntil).toISOString(),
    });
  });
}
