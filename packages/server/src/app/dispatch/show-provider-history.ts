import { type Result, fail, ok } from '../../domain/errors.js';
import { findOrder } from '../../store/orders.js';
import { findProviderAttempts } from '../../store/provider-attempts.js';
import { listProviders } from '../../store/providers.js';
import type { Context } from '../context.js';

export interface ProviderHistory {
  readonly orderId: number;
  readonly attempts: readonly {
    readonly at: string;
    readonly providerId: number;
    readonly provider: string;
    readonly providerServiceId: string;
    readonly outcome: string;
    readonly reason: string | null;
    readonly providerOrderId: string | null;
    readonly movedTo: { providerId: number; provider: string; providerServiceId: string } | null;
  }[];
}

/** An order's provider history for the owner: every attempt, with the providers by name. */
export async function showProviderHistory(ctx: Context, orderId: number): Promise<Result<ProviderHistory>> {
  if (!(await findOrder(ctx.db, orderId))) return fail({ code: 'ORDER_NOT_FOUND', id: orderId });
  const [attempts, providers] = await Promise.all([
    findProviderAttempts(ctx.db, orderId),
    listProviders(ctx.db),
  ]);
  const names = new Map(providers.map((p) => [p.id, p.name]));
  const nameOf = (id: number) => names.get(id) ?? `provider ${id}`;
  return ok({
    orderId,
    attempts: attempts.map((a) => ({
      at: new Date(a.createdAt).toISOString(),
      providerId: a.providerId,
      provider: nameOf(a.providerId),
      providerServiceId: a.providerServiceId,
      outcome: a.outcome,
      reason: a.reason,
      providerOrderId: a.providerOrderId,
      movedTo: a.movedTo ? { ...a.movedTo, provider: nameOf(a.movedTo.providerId) } : null,
    })),
  });
}
