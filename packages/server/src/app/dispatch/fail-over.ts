import type { AddOutcome } from '../../domain/dispatch-decision.js';
import {
  type AttemptOutcome,
  type FailoverCandidate,
  type FailoverStep,
  describeMove,
  failoverStep,
  isServiceUnavailable,
} from '../../domain/failover.js';
import { convertToPanel } from '../../domain/currency.js';
import { type Money, chargeForQuantity, parseMoney } from '../../domain/money.js';
import { isAccountProblem } from '../../domain/provider-status.js';
import { insertAuditEntry } from '../../store/audit-log.js';
import type { Queryable } from '../../store/database.js';
import {
  type FailoverOrder,
  findFailoverOrder,
  findStrandedOrders,
  insertProviderAttempt,
  moveOrderToProvider,
} from '../../store/provider-attempts.js';
import { findProvider } from '../../store/providers.js';
import { type ProviderLink, findServiceFallbacks } from '../../store/service-fallbacks.js';
import type { Context } from '../context.js';
import { loadRateTable, providerConversion } from '../currencies/rate-table.js';
import { type ProviderGateway, callProvider } from './provider-gateway.js';

/** The failover class of a failed or successful `add`: a refusal is read in the provider's own words. */
export function attemptOutcomeOf(outcome: AddOutcome): AttemptOutcome {
  switch (outcome.kind) {
    case 'accepted':
      return 'accepted';
    case 'unknown':
      return 'unknown';
    case 'not-arrived':
      return 'not-arrived';
    case 'refused':
      if (isAccountProblem(outcome.reason)) return 'out-of-funds';
      return isServiceUnavailable(outcome.reason) ? 'service-unavailable' : 'error-answer';
  }
}

/**
 * The rates of the providers' services, read from their `services` answer once per dispatch run
 * and only when an order may move there: what a backup would charge for an order. A provider that
 * cannot be read, or a service it does not list, has no known rate (the backup is then skipped
 * unless the service sells at a loss).
 */
export class BackupRates {
  private readonly rates = new Map<number, Promise<Map<string, Money> | null>>();

  constructor(
    private readonly ctx: Context,
    private readonly gateway: ProviderGateway,
  ) {}

  async costOf(link: ProviderLink, quantity: number): Promise<Money | null> {
    let rates = this.rates.get(link.providerId);
    if (!rates) {
      rates = this.read(link.providerId);
      this.rates.set(link.providerId, rates);
    }
    const rate = (await rates)?.get(link.providerServiceId);
    return rate === undefined ? null : chargeForQuantity(rate, quantity);
  }

  private async read(providerId: number): Promise<Map<string, Money> | null> {
    const provider = await findProvider(this.ctx.db, providerId);
    if (!provider) return null;
    // In the panel's currency, as the charge is: a provider whose currency has no rate has no known cost.
    const conversion = providerConversion(await loadRateTable(this.ctx), provider);
    if (!conversion.ok) return null;
    try {
      const services = await callProvider(this.gateway, provider, 'services', (client) => client.services());
      const rates = new Map<string, Money>();
      for (const service of services) {
        const rate = parseMoney(service.rate);
        if (rate !== null && rate >= 0n)
          rates.set(String(service.service), convertToPanel(rate, conversion.rate));
      }
      return rates;
    } catch {
      return null;
    }
  }
}

const sameLink = (a: ProviderLink, b: ProviderLink) =>
  a.providerId === b.providerId && a.providerServiceId === b.providerServiceId;

/** Where the order may go: its service's chain, with what each backup would cost. */
export async function decideFailover(
  ctx: Context,
  rates: BackupRates,
  order: FailoverOrder,
  outcome: AttemptOutcome,
): Promise<FailoverStep> {
  if (outcome === 'accepted' || outcome === 'unknown' || order.current === null) return { kind: 'keep' };
  const service = await findServiceFallbacks(ctx.db, order.serviceId);
  if (!service || service.primary === null || service.fallbacks.length === 0) {
    return failoverStep(outcome, { chain: [], position: -1, charge: order.charge, sellAtLoss: false });
  }
  const links = [service.primary, ...service.fallbacks];
  const current = order.current;
  const position = links.findIndex((link) => sameLink(link, current));
  const chain: FailoverCandidate[] = await Promise.all(
    links.map(async (link, index) => {
      const tried = order.movedAway.some((away) => sameLink(away, link));
      // Only backups that might take the order are priced: the ones after it, not tried yet.
      const priced = index > position && position >= 0 && !tried && !service.sellAtLoss;
      return { ...link, tried, cost: priced ? await rates.costOf(link, order.quantity) : null };
    }),
  );
  return failoverStep(outcome, { chain, position, charge: order.charge, sellAtLoss: service.sellAtLoss });
}

/**
 * Moves the order to the decided backup in the caller's transaction, together with the attempt
 * that led there (its history) and an entry in the audit log (the order's history page and the
 * admin's list). Resolves to false when another worker or an admin acted on the order first.
 */
export async function moveToBackup(
  tx: Queryable,
  ctx: Context,
  move: {
    order: FailoverOrder;
    from: { link: ProviderLink; state: 'submitting' | 'queued' };
    step: Extract<FailoverStep, { kind: 'move' }>;
    outcome: AttemptOutcome;
    reason: string;
  },
): Promise<boolean> {
  const now = ctx.clock.now();
  const to: ProviderLink = {
    providerId: move.step.to.providerId,
    providerServiceId: move.step.to.providerServiceId,
  };
  const why = describeMove(move.outcome, move.reason);
  const moved = await moveOrderToProvider(tx, { id: move.order.id, from: move.from, to, reason: why, now });
  if (!moved) return false;
  await insertProviderAttempt(tx, {
    orderId: move.order.id,
    providerId: move.from.link.providerId,
    providerServiceId: move.from.link.providerServiceId,
    outcome: move.outcome,
    reason: move.reason,
    movedTo: to,
    now,
  });
  await insertAuditEntry(tx, {
    actor: 'system',
    action: 'order.failover',
    target: `order:${move.order.id}`,
    details: {
      from: move.from.link,
      to,
      outcome: move.outcome,
      reason: move.reason,
      skipped: move.step.skipped,
    },
    now,
  });
  return true;
}

/**
 * Queued orders waiting at a paused provider (out of funds there, say) whose service names backups:
 * nothing was sent, so each moves to its next backup that may take it. One with nowhere to go keeps
 * a `provider-paused` attempt in its history and waits for its provider (it is not looked at again
 * while that provider stays its provider). Resolves to the number of orders moved.
 */
export async function moveStrandedOrders(ctx: Context, rates: BackupRates, limit: number): Promise<number> {
  let moved = 0;
  for (const id of await findStrandedOrders(ctx.db, ctx.clock.now(), limit)) {
    const order = await findFailoverOrder(ctx.db, id);
    if (!order?.current) continue;
    const link = order.current;
    const step = await decideFailover(ctx, rates, order, 'provider-paused');
    const reason = 'the provider is paused';
    await ctx.db.transaction(async (tx) => {
      if (step.kind === 'move') {
        const from = { link, state: 'queued' as const };
        if (await moveToBackup(tx, ctx, { order, from, step, outcome: 'provider-paused', reason })) moved++;
        return;
      }
      await insertProviderAttempt(tx, {
        orderId: id,
        ...link,
        outcome: 'provider-paused',
        reason: `${reason}; no backup may take it: it waits`,
        now: ctx.clock.now(),
      });
    });
  }
  return moved;
}
