import { SmmApiError, isOutcomeUnknown } from '@smmkit/client';
import { canTransitionSubscription } from '../../domain/order-status.js';
import { providerOrderParams } from '../../domain/provider-order-params.js';
import { isAccountProblem, retryDelayMs } from '../../domain/provider-status.js';
import type { Queryable } from '../../store/database.js';
import {
  type ClaimedOrderRow,
  claimQueuedOrders,
  deferResend,
  findByProviderOrder,
  findClaimedOrders,
  findExpiredLeases,
  holdForReview,
  markRefused,
  pauseProvider,
  recordProviderError,
  recordSent,
  requeueOrder,
} from '../../store/dispatch.js';
import { findOrder, lockOrderRow } from '../../store/orders.js';
import { panelInstanceId } from '../../store/panel-identity.js';
import { type Provider, findProvider } from '../../store/providers.js';
import { cancelSubscriptionRow } from '../../store/subscriptions.js';
import type { Context } from '../context.js';
import { settleDripfeedParent } from '../dripfeed/settle-dripfeed-parent.js';
import { changeOrderStatus } from '../orders/change-order-status.js';
import { type ProviderGateway, callProvider, describeFailure, forEachLimited } from './provider-gateway.js';

/** Orders claimed and sent at once; each claim is one short transaction. */
const CLAIM_BATCH = 16;
/** Claims per job run, so a run always ends; the next run picks up what is left. */
const MAX_CLAIMS_PER_RUN = 25;
/**
 * Unknown outcomes retried with the same request_id (at a provider that replays) before a human is
 * asked; and attempts that clearly never reached the provider (connection refused, 4xx) before the
 * order goes to review instead of waiting in the queue forever.
 */
const MAX_ATTEMPTS = 12;

export interface DispatchSummary {
  sent: number;
  requeued: number;
  review: number;
  refused: number;
}

/** Our stable key for an order at its provider: the same on every attempt, unique across panels. */
export function providerRequestId(instanceId: string, orderId: number): string {
  return `smmkit-${instanceId}-${orderId}`;
}

/**
 * The worker's dispatch job. First, orders whose submitting worker vanished (lease expired) at a
 * provider that does not replay request_id go to review. Then due orders are claimed — marked
 * `submitting` and committed *before* their provider is called — and sent with `request_id` = our
 * stable key: queued ones, and at a replaying provider those whose lease ran out (a dead worker,
 * or a resend after an unknown outcome). What the provider answers decides the rest (see
 * `settleFailure`). An order is never sent again after an unknown outcome unless its provider is
 * known to replay a repeated `request_id`.
 */
export async function dispatchOrders(ctx: Context, gateway: ProviderGateway): Promise<DispatchSummary> {
  const summary: DispatchSummary = { sent: 0, requeued: 0, review: 0, refused: 0 };
  await recoverExpiredLeases(ctx, summary);
  const instanceId = await panelInstanceId(ctx.db, ctx.clock.now());
  const providers = new Map<number, Provider | undefined>();
  const providerOf = async (id: number): Promise<Provider | undefined> => {
    if (!providers.has(id)) providers.set(id, await findProvider(ctx.db, id));
    return providers.get(id);
  };

  for (let claim = 0; claim < MAX_CLAIMS_PER_RUN; claim++) {
    const now = ctx.clock.now();
    const ids = await ctx.db.transaction((tx) =>
      claimQueuedOrders(tx, { now, leaseUntil: now + leaseMs(gateway), limit: CLAIM_BATCH }),
    );
    if (ids.length === 0) break;
    const orders = await findClaimedOrders(ctx.db, ids);
    await forEachLimited(orders, CLAIM_BATCH, async (order) => {
      const provider = await providerOf(Number(order.provider_id));
      if (!provider) throw new Error(`order ${order.id} names provider ${order.provider_id}, which is gone`);
      await submit(ctx, gateway, provider, order, instanceId, summary);
    });
    if (ids.length < CLAIM_BATCH) break;
  }
  return summary;
}

/** Longer than a call can take, so a live worker's claim never expires under it. */
function leaseMs(gateway: ProviderGateway): number {
  return gateway.timeoutMs * 2 + 10_000;
}

async function submit(
  ctx: Context,
  gateway: ProviderGateway,
  provider: Provider,
  order: ClaimedOrderRow,
  instanceId: string,
  summary: DispatchSummary,
): Promise<void> {
  const id = Number(order.id);
  const requestId = providerRequestId(instanceId, id);
  let params;
  try {
    params = providerOrderParams({
      type: order.type,
      providerServiceId: order.provider_service_id ?? '',
      link: order.link,
      quantity: Number(order.quantity),
      details: order.details,
      requestId,
    });
  } catch (error) {
    // Nothing was sent: the order cannot be expressed for this provider. A human decides.
    const reason = `cannot be forwarded: ${describeFailure(error)}`;
    await ctx.db.transaction((tx) =>
      holdForReview(tx, { id, from: 'submitting', reason, now: ctx.clock.now() }),
    );
    summary.review++;
    return;
  }

  let providerOrderId: string;
  try {
    const answer = await callProvider(gateway, provider, 'add', (client) => client.add(params));
    providerOrderId = String(answer.order);
  } catch (error) {
    await settleFailure(ctx, gateway, provider, order, requestId, error, summary);
    return;
  }
  const now = ctx.clock.now();
  let recorded: boolean;
  try {
    recorded = await ctx.db.transaction((tx) =>
      recordSent(tx, { id, providerOrderId, nextSyncAt: firstSyncAt(gateway, now), now }),
    );
  } catch (error) {
    // A provider order is ours once (unique index): a provider that answers an id we already
    // follow for another order has mixed something up. A human looks at both.
    const taken = await findByProviderOrder(ctx.db, Number(provider.id), providerOrderId);
    if (taken === null || taken === id) throw error;
    const reason = `the provider answered order ${providerOrderId}, which is order ${taken} here; check both at ${provider.name}`;
    gateway.log.error({ order: id, provider: provider.name, providerOrder: providerOrderId, taken }, reason);
    if (await ctx.db.transaction((tx) => holdForReview(tx, { id, from: 'submitting', reason, now })))
      summary.review++;
    return;
  }
  if (recorded) {
    summary.sent++;
    return;
  }
  // Our order left the dispatch states meanwhile (an admin canceled it from the review list):
  // the provider has it anyway. Say so loudly; the admin can cancel it at the provider.
  gateway.log.error(
    { order: id, provider: provider.name, providerOrder: providerOrderId },
    'provider accepted an order that was settled here meanwhile; check it at the provider',
  );
}

/** The first status check comes within one sync interval, spread so checks do not bunch up. */
function firstSyncAt(gateway: ProviderGateway, now: number): number {
  return now + Math.round(gateway.syncIntervalMs * (0.5 + Math.random() * 0.5));
}

/**
 * What a failed `add` means for the order:
 * - the provider is out of balance, or refuses our key or our rate (`isAccountProblem`): the order
 *   waits (queued) and the provider is paused;
 * - the provider refused the order itself: cancel and refund it, or hold it (per provider);
 * - the outcome is unknown (timeout, reset after sending, 5xx, unreadable answer): resend later
 *   with the same request_id if the provider replays such requests (the order stays `submitting`
 *   meanwhile: it may be at the provider), else hold for review;
 * - the request clearly never arrived (connection refused, 4xx): retry later.
 * Retries stop after MAX_ATTEMPTS: the order goes to review with the last reason.
 */
async function settleFailure(
  ctx: Context,
  gateway: ProviderGateway,
  provider: Provider,
  order: ClaimedOrderRow,
  requestId: string,
  error: unknown,
  summary: DispatchSummary,
): Promise<void> {
  const id = Number(order.id);
  const attempts = Number(order.dispatch_attempts);
  const providerId = Number(provider.id);
  const reason = describeFailure(error);
  const now = ctx.clock.now();
  const retryAt = now + retryDelayMs(attempts);
  const giveUp = attempts >= MAX_ATTEMPTS;
  gateway.log.warn({ order: id, provider: provider.name, attempts, reason }, 'provider add failed');

  if (error instanceof SmmApiError) {
    if (isAccountProblem(reason)) {
      await ctx.db.transaction(async (tx) => {
        await pauseProvider(tx, { id: providerId, until: retryAt, error: reason, now });
        await requeueOrder(tx, { id, from: 'submitting', after: retryAt, error: reason, now });
      });
      summary.requeued++;
      return;
    }
    await ctx.db.transaction(async (tx) => {
      await recordProviderError(tx, { id: providerId, error: reason, now });
      if (provider.onRefusal === 'review') {
        await holdForReview(tx, {
          id,
          from: 'submitting',
          reason: `refused by the provider: ${reason}`,
          now,
        });
        summary.review++;
      } else {
        await refuseOrder(tx, ctx, order, `refused by the provider: ${reason}`);
        summary.refused++;
      }
    });
    return;
  }

  const unknown = isOutcomeUnknown(error);
  await ctx.db.transaction(async (tx) => {
    await recordProviderError(tx, { id: providerId, error: reason, now });
    if (unknown && !provider.honoursRequestId) {
      const why = `outcome unknown (${reason}); look for request_id ${requestId} at ${provider.name}`;
      await holdForReview(tx, { id, from: 'submitting', reason: why, now });
      summary.review++;
    } else if (giveUp) {
      const why = `gave up after ${attempts} attempts: ${reason}`;
      await holdForReview(tx, { id, from: 'submitting', reason: why, now });
      summary.review++;
    } else if (unknown) {
      const why = `outcome unknown (${reason}); will resend with the same request_id`;
      await deferResend(tx, { id, at: retryAt, error: why, now });
      summary.requeued++;
    } else {
      await requeueOrder(tx, { id, from: 'submitting', after: retryAt, error: reason, now });
      summary.requeued++;
    }
  });
}

/**
 * The provider refused the order: it is canceled and refunded in full (a drip-feed run settles its
 * parent; a subscription simply ends, its posts are charged one by one). Compare-and-set on
 * `submitting`: if anything else settled the order first, this does nothing.
 */
async function refuseOrder(
  tx: Queryable,
  ctx: Context,
  claimed: ClaimedOrderRow,
  reason: string,
): Promise<void> {
  const id = Number(claimed.id);
  const now = ctx.clock.now();
  if (claimed.parent_id !== null) await lockOrderRow(tx, Number(claimed.parent_id));
  await lockOrderRow(tx, id);
  if (!(await markRefused(tx, { id, from: 'submitting', reason, now }))) return;
  const order = await findOrder(tx, id);
  if (!order) throw new Error(`order ${id} vanished`);
  if (order.kind === 'subscription') {
    const from = order.status as 'active' | 'paused';
    if (canTransitionSubscription(from, 'canceled')) await cancelSubscriptionRow(tx, id, from, now);
    return;
  }
  const moved = await changeOrderStatus(tx, ctx, order, { to: 'canceled' });
  if (!moved.ok) throw new Error(`refused order ${id} could not be canceled from ${order.status}`);
  if (order.parent_id !== null) await settleDripfeedParent(tx, ctx, Number(order.parent_id));
}

/**
 * Orders left `submitting` by a worker that died or hung, at a provider that does not replay
 * request_id: whether the provider got them is unknown, so they are held for review. (At a
 * provider that replays, the claim resends them with the same request_id.)
 */
async function recoverExpiredLeases(ctx: Context, summary: DispatchSummary): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const reason = 'outcome unknown (the worker sending it stopped); check the provider before resending';
    for (const row of await findExpiredLeases(tx, now, 100)) {
      if (await holdForReview(tx, { id: Number(row.id), from: 'submitting', reason, now })) summary.review++;
    }
  });
}
