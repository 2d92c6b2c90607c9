import { SmmApiError, isOutcomeUnknown } from '@smmkit/client';
import {
  type AddOutcome,
  type DispatchStep,
  LAPSED_LEASE_REASON,
  nextDispatchStep,
  providerOrderTakenReason,
  unsendableReason,
} from '../../domain/dispatch-decision.js';
import { providerOrderParams } from '../../domain/provider-order-params.js';
import { retryDelayMs } from '../../domain/provider-status.js';
import {
  type ClaimedOrder,
  claimQueuedOrders,
  deferResend,
  findClaimedOrders,
  findExpiredLeases,
  holdForReview,
  recordSent,
  recordSentMany,
  requeueOrder,
} from '../../store/dispatch-claims.js';
import { panelInstanceId } from '../../store/panel-identity.js';
import { pauseProvider, recordProviderError } from '../../store/provider-health.js';
import { findByProviderOrder } from '../../store/provider-orders.js';
import type { Context } from '../context.js';
import type { Queryable } from '../../store/database.js';
import { type Provider, findProvider } from '../../store/providers.js';
import { type ProviderGateway, callProvider, describeFailure, forEachLimited } from './provider-gateway.js';
import {
  BackupRates,
  attemptOutcomeOf,
  decideFailover,
  moveStrandedOrders,
  moveToBackup,
} from './fail-over.js';
import { refuseOrder } from './refuse-order.js';
import type { AttemptOutcome } from '../../domain/failover.js';
import {
  findFailoverOrder,
  insertAcceptedAttempts,
  insertProviderAttempt,
} from '../../store/provider-attempts.js';

/** Orders claimed and sent at once; each claim is one short transaction. */
const CLAIM_BATCH = 16;
/**
 * Batches in flight at once in one run: while one batch waits for its providers, the next is
 * claimed and sent, so at most LANES × CLAIM_BATCH calls are open (each batch's calls start
 * together, so a claim's lease still covers one call).
 */
const LANES = 3;
/** Claims per job run, so a run always ends; the next run picks up what is left. */
const MAX_CLAIMS_PER_RUN = 25;

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
 * or a resend after an unknown outcome). What the provider answers decides the rest: the domain's
 * `nextDispatchStep`, which this job only carries out.
 */
export async function dispatchOrders(ctx: Context, gateway: ProviderGateway): Promise<DispatchSummary> {
  return (await dispatchOrderRun(ctx, gateway)).summary;
}

/**
 * One run of the dispatch job (see dispatchOrders), and whether it stopped at its claim limit with
 * orders perhaps still due: the worker then runs it again at once, so a backlog drains at the
 * speed of the provider, not one run per dispatch interval.
 */
export async function dispatchOrderRun(
  ctx: Context,
  gateway: ProviderGateway,
): Promise<{ summary: DispatchSummary; moreDue: boolean }> {
  const summary: DispatchSummary = { sent: 0, requeued: 0, review: 0, refused: 0 };
  await recoverExpiredLeases(ctx, summary);
  // Backups' rates are read at most once per run, and only when an order may move.
  const rates = new BackupRates(ctx, gateway);
  summary.requeued += await moveStrandedOrders(ctx, rates, MAX_CLAIMS_PER_RUN * CLAIM_BATCH);
  const instanceId = await panelInstanceId(ctx.db, ctx.clock.now());
  const providers = new Map<number, Provider | undefined>();
  const providerOf = async (id: number): Promise<Provider | undefined> => {
    if (!providers.has(id)) providers.set(id, await findProvider(ctx.db, id));
    return providers.get(id);
  };

  let claims = 0;
  let drained = false;
  const lane = async (): Promise<void> => {
    while (!drained && claims < MAX_CLAIMS_PER_RUN) {
      claims++;
      const now = ctx.clock.now();
      const ids = await ctx.db.transaction((tx) =>
        claimQueuedOrders(tx, { now, leaseUntil: now + leaseMs(gateway), limit: CLAIM_BATCH }),
      );
      if (ids.length < CLAIM_BATCH) drained = true;
      if (ids.length > 0) await sendBatch(ids);
    }
  };
  const sendBatch = async (ids: number[]): Promise<void> => {
    const orders = await findClaimedOrders(ctx.db, ids);
    // The batch's orders are sent at once; those the providers accepted are recorded together,
    // in one transaction (one commit), once every call of the batch has ended.
    const accepted: Accepted[] = [];
    const failures: unknown[] = [];
    await forEachLimited(orders, CLAIM_BATCH, async (order) => {
      try {
        const provider = await providerOf(order.providerId);
        if (!provider) throw new Error(`order ${order.id} names provider ${order.providerId}, which is gone`);
        const sent = await submit(ctx, gateway, rates, provider, order, instanceId, summary);
        if (sent) accepted.push(sent);
      } catch (error) {
        failures.push(error);
      }
    });
    await recordAccepted(ctx, gateway, accepted, summary);
    if (failures.length > 0) throw failures[0];
  };
  // Every lane ends before the run does (a failing one stops the others at their next claim).
  const lanes = await Promise.allSettled(
    Array.from({ length: LANES }, () =>
      lane().catch((error: unknown) => {
        drained = true;
        throw error;
      }),
    ),
  );
  const failed = lanes.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return { summary, moreDue: !drained };
}

/** Longer than a call can take, so a live worker's claim never expires under it. */
function leaseMs(gateway: ProviderGateway): number {
  return gateway.timeoutMs * 2 + 10_000;
}

/** An order its provider accepted, its provider order id not yet stored. */
interface Accepted {
  readonly provider: Provider;
  readonly order: ClaimedOrder;
  readonly providerOrderId: string;
}

/**
 * Sends one claimed order and carries out what a failure means. Resolves to the order when its
 * provider accepted it: the caller stores the provider's order id (recordAccepted).
 */
async function submit(
  ctx: Context,
  gateway: ProviderGateway,
  rates: BackupRates,
  provider: Provider,
  order: ClaimedOrder,
  instanceId: string,
  summary: DispatchSummary,
): Promise<Accepted | null> {
  const requestId = providerRequestId(instanceId, order.id);
  let params;
  try {
    params = providerOrderParams({
      type: order.type,
      providerServiceId: order.providerServiceId ?? '',
      link: order.link,
      quantity: order.quantity,
      details: order.details,
      requestId,
    });
  } catch (error) {
    // Nothing was sent: the order cannot be expressed for this provider. A human decides.
    const reason = unsendableReason(describeFailure(error));
    await ctx.db.transaction((tx) =>
      holdForReview(tx, { id: order.id, from: 'submitting', reason, now: ctx.clock.now() }),
    );
    summary.review++;
    return null;
  }

  let outcome: AddOutcome;
  // The failure in the provider's own words (or the network's): kept as the provider's last error.
  let failure = '';
  try {
    const answer = await callProvider(gateway, provider, 'add', (client) => client.add(params));
    outcome = { kind: 'accepted', providerOrderId: String(answer.order) };
  } catch (error) {
    outcome = addFailureOf(error);
    failure = outcome.reason;
    gateway.log.warn(
      { order: order.id, provider: provider.name, attempts: order.attempts, reason: failure },
      'provider add failed',
    );
  }
  const attemptOutcome = attemptOutcomeOf(outcome);
  if (await failOver(ctx, rates, provider, order, attemptOutcome, failure)) {
    summary.requeued++;
    return null;
  }
  const step = nextDispatchStep(outcome, {
    attempts: order.attempts,
    honoursRequestId: provider.honoursRequestId,
    onRefusal: provider.onRefusal,
    requestId,
    providerName: provider.name,
    now: ctx.clock.now(),
  });
  if (step.kind === 'record-sent') return { provider, order, providerOrderId: step.providerOrderId };
  await carryOut(ctx, provider, order, step, attemptOutcome, failure, summary);
  return null;
}

/**
 * A definite refusal, or a request that never arrived: the order moves to its service's next
 * backup that may take it (`domain/failover.ts`), with the provider's error, the attempt and the
 * move in one transaction (a compare-and-set on `submitting` at this provider). Resolves to true
 * when the order is dealt with here (moved, or settled by someone else meanwhile).
 */
async function failOver(
  ctx: Context,
  rates: BackupRates,
  provider: Provider,
  claimed: ClaimedOrder,
  outcome: AttemptOutcome,
  reason: string,
): Promise<boolean> {
  if (outcome === 'accepted' || outcome === 'unknown') return false;
  const order = await findFailoverOrder(ctx.db, claimed.id);
  if (!order?.current) return false;
  const step = await decideFailover(ctx, rates, order, outcome);
  if (step.kind !== 'move') return false;
  const from = { link: order.current, state: 'submitting' as const };
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    if (outcome === 'out-of-funds') {
      await pauseProvider(tx, { id: provider.id, until: now + retryDelayMs(1), error: reason, now });
    } else {
      await recordProviderError(tx, { id: provider.id, error: reason, now });
    }
    await moveToBackup(tx, ctx, { order, from, step, outcome, reason });
  });
  return true;
}

/** How an `add` that threw ended: the provider's refusal, an unknown outcome, or no arrival at all. */
function addFailureOf(error: unknown): Exclude<AddOutcome, { kind: 'accepted' }> {
  const reason = describeFailure(error);
  if (error instanceof SmmApiError) return { kind: 'refused', reason };
  return isOutcomeUnknown(error) ? { kind: 'unknown', reason } : { kind: 'not-arrived', reason };
}

/**
 * Carries out the step decided for a failed `add`, in one transaction: each move is a
 * compare-and-set on `submitting`, and the provider keeps the failure (`reason`, in its own words)
 * as its last error.
 */
async function carryOut(
  ctx: Context,
  provider: Provider,
  order: ClaimedOrder,
  step: Exclude<DispatchStep, { kind: 'record-sent' }>,
  outcome: AttemptOutcome,
  reason: string,
  summary: DispatchSummary,
): Promise<void> {
  const id = order.id;
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await insertProviderAttempt(tx, {
      orderId: id,
      providerId: provider.id,
      providerServiceId: order.providerServiceId ?? '',
      outcome,
      reason,
      now,
    });
    if (step.kind === 'pause-provider') {
      await pauseProvider(tx, { id: provider.id, until: step.until, error: reason, now });
      await requeueOrder(tx, { id, from: 'submitting', after: step.until, error: step.reason, now });
      summary.requeued++;
      return;
    }
    await recordProviderError(tx, { id: provider.id, error: reason, now });
    switch (step.kind) {
      case 'hold-for-review':
        await holdForReview(tx, { id, from: 'submitting', reason: step.reason, now });
        summary.review++;
        return;
      case 'refuse':
        await refuseOrder(tx, ctx, order, step.reason);
        summary.refused++;
        return;
      case 'defer-resend':
        await deferResend(tx, { id, at: step.at, error: step.reason, now });
        summary.requeued++;
        return;
      case 'requeue':
        await requeueOrder(tx, { id, from: 'submitting', after: step.after, error: step.reason, now });
        summary.requeued++;
        return;
    }
  });
}

/**
 * Stores the provider order ids of a batch's accepted orders in one transaction. Should it fail
 * (a provider answered an id we already follow, which the unique index refuses), each order is
 * recorded on its own, where such a clash is dealt with (recordProviderOrder).
 */
async function recordAccepted(
  ctx: Context,
  gateway: ProviderGateway,
  accepted: readonly Accepted[],
  summary: DispatchSummary,
): Promise<void> {
  if (accepted.length === 0) return;
  if (accepted.length > 1) {
    const now = ctx.clock.now();
    let recorded: boolean[] | null = null;
    try {
      // Two statements for the whole batch: the provider order ids, then the accepted attempts of
      // the orders stored (the others were settled meanwhile).
      recorded = await ctx.db.transaction(async (tx) => {
        const stored = await recordSentMany(
          tx,
          accepted.map(({ order, providerOrderId }) => ({
            id: order.id,
            providerOrderId,
            nextSyncAt: firstSyncAt(gateway, now),
          })),
          now,
        );
        await insertAcceptedAttempts(
          tx,
          accepted
            .filter(({ order }) => stored.has(order.id))
            .map(({ provider, order, providerOrderId }) => ({
              orderId: order.id,
              providerId: provider.id,
              providerServiceId: order.providerServiceId ?? '',
              providerOrderId,
            })),
          now,
        );
        return accepted.map(({ order }) => stored.has(order.id));
      });
    } catch {
      // Nothing of the batch was stored: each order again, alone.
    }
    if (recorded !== null) {
      recorded.forEach((done, i) => reportRecorded(gateway, accepted[i]!, done, summary));
      return;
    }
  }
  for (const { provider, order, providerOrderId } of accepted) {
    await recordProviderOrder(ctx, gateway, provider, order, providerOrderId, summary);
  }
}

/** The provider's order id and the accepted attempt, in the caller's transaction; false: settled meanwhile. */
async function recordSentWithAttempt(
  tx: Queryable,
  gateway: ProviderGateway,
  provider: Provider,
  order: ClaimedOrder,
  providerOrderId: string,
  now: number,
): Promise<boolean> {
  const id = order.id;
  if (!(await recordSent(tx, { id, providerOrderId, nextSyncAt: firstSyncAt(gateway, now), now })))
    return false;
  await insertProviderAttempt(tx, {
    orderId: id,
    providerId: provider.id,
    providerServiceId: order.providerServiceId ?? '',
    outcome: 'accepted',
    reason: null,
    providerOrderId,
    now,
  });
  return true;
}

function reportRecorded(
  gateway: ProviderGateway,
  { provider, order, providerOrderId }: Accepted,
  recorded: boolean,
  summary: DispatchSummary,
): void {
  if (recorded) {
    summary.sent++;
    return;
  }
  gateway.log.error(
    { order: order.id, provider: provider.name, providerOrder: providerOrderId },
    'provider accepted an order that was settled here meanwhile; check it at the provider',
  );
}

/**
 * Stores the provider's order id. A provider order is ours once (unique index): a provider that
 * answers an id we already follow for another order has mixed something up, and a human looks at
 * both. An order settled here meanwhile (an admin canceled it from the review list) is at the
 * provider anyway: said loudly, so the admin can cancel it there.
 */
async function recordProviderOrder(
  ctx: Context,
  gateway: ProviderGateway,
  provider: Provider,
  order: ClaimedOrder,
  providerOrderId: string,
  summary: DispatchSummary,
): Promise<void> {
  const id = order.id;
  const now = ctx.clock.now();
  let recorded: boolean;
  try {
    recorded = await ctx.db.transaction((tx) =>
      recordSentWithAttempt(tx, gateway, provider, order, providerOrderId, now),
    );
  } catch (error) {
    const taken = await findByProviderOrder(ctx.db, provider.id, providerOrderId);
    if (taken === null || taken === id) throw error;
    const reason = providerOrderTakenReason(providerOrderId, taken, provider.name);
    gateway.log.error({ order: id, provider: provider.name, providerOrder: providerOrderId, taken }, reason);
    if (await ctx.db.transaction((tx) => holdForReview(tx, { id, from: 'submitting', reason, now })))
      summary.review++;
    return;
  }
  reportRecorded(gateway, { provider, order, providerOrderId }, recorded, summary);
}

/** The first status check comes within one sync interval, spread so checks do not bunch up. */
function firstSyncAt(gateway: ProviderGateway, now: number): number {
  return now + Math.round(gateway.syncIntervalMs * (0.5 + Math.random() * 0.5));
}

/**
 * Orders left `submitting` by a worker that died or hung, at a provider that does not replay
 * request_id: whether the provider got them is unknown, so they are held for review. (At a
 * provider that replays, the claim resends them with the same request_id.)
 */
async function recoverExpiredLeases(ctx: Context, summary: DispatchSummary): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    for (const id of await findExpiredLeases(tx, now, 100)) {
      if (await holdForReview(tx, { id, from: 'submitting', reason: LAPSED_LEASE_REASON, now }))
        summary.review++;
    }
  });
}
