import {
  type AnyOrderStatus,
  type ItemError,
  type OrderStatuses,
  isItemError,
  isSubscriptionStatus,
} from '@smmkit/client';
import { parseMoney } from '../../domain/money.js';
import { type OrderStatus, canTransition, isFinalOrderStatus } from '../../domain/order-status.js';
import { readProviderCount, readProviderOrderStatus } from '../../domain/provider-status.js';
import type { Queryable } from '../../store/database.js';
import {
  type SyncTargetRow,
  claimDueSync,
  listSyncProviders,
  recordProviderProgress,
  stopSync,
} from '../../store/dispatch.js';
import { findOrder, lockOrderRow } from '../../store/orders.js';
import type { Context } from '../context.js';
import { settleDripfeedParent } from '../dripfeed/settle-dripfeed-parent.js';
import { changeOrderStatus } from '../orders/change-order-status.js';
import {
  type ProviderAddress,
  type ProviderGateway,
  callProvider,
  describeFailure,
} from './provider-gateway.js';
import {
  type SubscriptionPosts,
  applySubscriptionStatus,
  readNewSubscriptionPosts,
} from './sync-subscriptions.js';

/** The most ids one `status` request may carry (the API's limit). */
export const SYNC_BATCH = 100;
/** Requests in flight per provider during one pass. */
const LANES_PER_PROVIDER = 4;
/** Batches per provider per pass, so a pass always ends (100k orders at most). */
const MAX_BATCHES_PER_PASS = 1000;

export interface SyncSummary {
  /** Orders asked about. */
  checked: number;
  /** Orders whose status changed here. */
  changed: number;
  /** `status` requests sent. */
  requests: number;
  /** Batches whose request failed (they are asked again at their next turn). */
  failed: number;
}

/**
 * The worker's sync job: for each provider, the orders in flight that are due are claimed 100 at a
 * time (their next check pushed one SMMKIT_SYNC_INTERVAL ahead, which is also what spreads the load)
 * and asked about with one multi-status request per batch. Each answer is applied in one
 * transaction per batch; every change is a compare-and-set on the old status, and Partial and
 * Canceled post their refund with it, keyed by the order, so a refund can never be posted twice.
 */
export async function syncOrders(ctx: Context, gateway: ProviderGateway): Promise<SyncSummary> {
  const summary: SyncSummary = { checked: 0, changed: 0, requests: 0, failed: 0 };
  for (const provider of await listSyncProviders(ctx.db)) {
    let batches = 0;
    let drained = false;
    const lane = async (): Promise<void> => {
      while (!drained && batches < MAX_BATCHES_PER_PASS) {
        batches++;
        const now = ctx.clock.now();
        const targets = await ctx.db.transaction((tx) =>
          claimDueSync(tx, {
            providerId: Number(provider.id),
            now,
            nextSyncAt: now + gateway.syncIntervalMs,
            limit: SYNC_BATCH,
          }),
        );
        if (targets.length < SYNC_BATCH) drained = true;
        if (targets.length === 0) return;
        await syncBatch(ctx, gateway, provider, targets, summary);
      }
    };
    await Promise.all(Array.from({ length: LANES_PER_PROVIDER }, lane));
  }
  return summary;
}

async function syncBatch(
  ctx: Context,
  gateway: ProviderGateway,
  provider: ProviderAddress,
  targets: readonly SyncTargetRow[],
  summary: SyncSummary,
): Promise<void> {
  summary.requests++;
  summary.checked += targets.length;
  let answers: OrderStatuses;
  try {
    const ids = targets.map((target) => Number(target.provider_order_id));
    answers = await callProvider(gateway, provider, 'status', (client) => client.statuses(ids));
  } catch (error) {
    // Asked again at their next turn; nothing changed here.
    summary.failed++;
    gateway.log.warn(
      { provider: provider.name, orders: targets.length, reason: describeFailure(error) },
      'provider status failed',
    );
    return;
  }
  // Posts of forwarded subscriptions: their first status, read before the transaction.
  const children = await readNewSubscriptionPosts(ctx, gateway, provider, answers);
  await ctx.db.transaction(async (tx) => {
    for (const target of targets) {
      const answer = answers[target.provider_order_id];
      if (await applyAnswer(tx, ctx, gateway, provider, Number(target.id), answer, children))
        summary.changed++;
    }
  });
}

/** Applies one order's answer; resolves to true when its status changed. */
async function applyAnswer(
  tx: Queryable,
  ctx: Context,
  gateway: ProviderGateway,
  provider: ProviderAddress,
  id: number,
  answer: AnyOrderStatus | ItemError | undefined,
  children: SubscriptionPosts,
): Promise<boolean> {
  const seen = await findOrder(tx, id);
  if (!seen) return false;
  // A parent is locked before its children, by everyone.
  if (seen.parent_id !== null) await lockOrderRow(tx, Number(seen.parent_id));
  await lockOrderRow(tx, id);
  const order = (await findOrder(tx, id))!;
  const now = ctx.clock.now();
  if (answer === undefined || isItemError(answer)) {
    const reason = answer === undefined ? 'missing from the answer' : answer.error;
    gateway.log.warn({ order: id, provider: provider.name, reason }, 'provider has no status for an order');
    return false;
  }
  if (order.kind === 'subscription') {
    return applySubscriptionStatus(tx, ctx, gateway, provider, order, answer, children);
  }
  if (isSubscriptionStatus(answer)) {
    gateway.log.warn(
      { order: id, provider: provider.name },
      'provider answered a subscription status for an order',
    );
    return false;
  }
  const from = order.status as OrderStatus;
  if (isFinalOrderStatus(from)) {
    // Settled here already (an admin, say): nothing more to follow.
    await stopSync(tx, id);
    return false;
  }
  const to = readProviderOrderStatus(answer.status);
  const startCount = readProviderCount(answer.start_count) ?? Number(order.start_count);
  const remains = readProviderCount(answer.remains);
  const progress = {
    id,
    startCount,
    remains: remains ?? Number(order.remains),
    providerStatus: String(answer.status),
    providerCharge: parseMoney(answer.charge),
    providerCurrency: answer.currency || null,
    now,
  };
  if (to === null) {
    gateway.log.warn(
      { order: id, provider: provider.name, status: answer.status },
      'unknown provider status; order kept',
    );
    await recordProviderProgress(tx, { ...progress, remains: Number(order.remains), status: from });
    return false;
  }
  // A refund is computed from remains: never from a guess.
  if (to === 'partial' && remains === null) {
    gateway.log.warn(
      { order: id, provider: provider.name },
      'provider says Partial without remains; order kept',
    );
    await recordProviderProgress(tx, { ...progress, remains: Number(order.remains), status: from });
    return false;
  }
  if (to === from || !canTransition(from, to)) {
    if (to !== from) {
      gateway.log.warn(
        { order: id, provider: provider.name, from, to },
        'provider status moved backwards; kept',
      );
    }
    await recordProviderProgress(tx, { ...progress, status: from });
    return false;
  }
  const moved = await changeOrderStatus(tx, ctx, order, {
    to,
    startCount,
    remains: to === 'completed' ? 0 : progress.remains,
  });
  if (!moved.ok) return false;
  await recordProviderProgress(tx, { ...progress, remains: moved.value.remains, status: to });
  if (isFinalOrderStatus(to)) await stopSync(tx, id);
  if (order.parent_id !== null) await settleDripfeedParent(tx, ctx, Number(order.parent_id));
  return true;
}
