import {
  type AnyOrderStatus,
  type ItemError,
  type OrderStatuses,
  isItemError,
  isSubscriptionStatus,
} from '@smmkit/client';
import { type RateTable, convertToPanel, rateFor } from '../../domain/currency.js';
import { type Money, parseMoney } from '../../domain/money.js';
import { canTransition, isFinalOrderStatus } from '../../domain/order-status.js';
import { readProviderCount, readProviderOrderStatus } from '../../domain/provider-status.js';
import type { Queryable } from '../../store/database.js';
import {
  type ProgressUpdate,
  type SyncTarget,
  claimDueSync,
  findParentIds,
  lockOrders,
  recordProviderProgressMany,
  stopSync,
} from '../../store/order-sync.js';
import { type Order, lockOrderRow } from '../../store/orders.js';
import type { Context } from '../context.js';
import { loadRateTable } from '../currencies/rate-table.js';
import { changeOrderStatus } from '../orders/change-order-status.js';
import { settleDripfeedParent } from '../orders/settle-dripfeed-parent.js';
import { type Provider, listProviders } from '../../store/providers.js';
import { type ProviderGateway, callProvider, describeFailure } from './provider-gateway.js';
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
  const rates = await loadRateTable(ctx);
  for (const provider of await listProviders(ctx.db)) {
    let batches = 0;
    let drained = false;
    // The lanes of this process take their claims one after another: claiming together, on
    // PostgreSQL each would skip the rows another is locking and take a short batch, so the same
    // orders would cost more requests. The provider calls and the answers still run side by side.
    let claims: Promise<unknown> = Promise.resolve();
    const claimNext = (): Promise<SyncTarget[]> => {
      const claim = claims.then(() => {
        if (drained || batches >= MAX_BATCHES_PER_PASS) return [];
        batches++;
        const now = ctx.clock.now();
        return ctx.db.transaction((tx) =>
          claimDueSync(tx, {
            providerId: provider.id,
            now,
            nextSyncAt: now + gateway.syncIntervalMs,
            limit: SYNC_BATCH,
          }),
        );
      });
      claims = claim.catch(() => undefined);
      return claim;
    };
    const lane = async (): Promise<void> => {
      for (;;) {
        const targets = await claimNext();
        if (targets.length < SYNC_BATCH) drained = true;
        if (targets.length === 0) return;
        await syncBatch(ctx, gateway, provider, targets, summary, rates);
      }
    };
    await Promise.all(Array.from({ length: LANES_PER_PROVIDER }, lane));
  }
  return summary;
}

async function syncBatch(
  ctx: Context,
  gateway: ProviderGateway,
  provider: Provider,
  targets: readonly SyncTarget[],
  summary: SyncSummary,
  rates: RateTable,
): Promise<void> {
  summary.requests++;
  summary.checked += targets.length;
  let answers: OrderStatuses;
  try {
    // Provider order ids are stored as the provider answered them: digits (see resolve-review).
    const ids = targets.map((target) => Number(target.providerOrderId));
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
    // The batch's parents first, then its orders, each in id order: the order everyone locks in.
    const ids = targets.map((target) => target.id);
    for (const parentId of await findParentIds(tx, ids)) await lockOrderRow(tx, parentId);
    const orders = await lockOrders(tx, ids);
    const byId = new Map(targets.map((target) => [target.id, target]));
    const progress: ProgressUpdate[] = [];
    const changes: Change[] = [];
    for (const order of orders) {
      const target = byId.get(order.id)!;
      const answer = answers[target.providerOrderId];
      const change = planAnswer(ctx, gateway, provider, order, answer, children, progress, rates);
      if (change) changes.push(change);
    }
    // Progress of the orders whose status stays: one statement for the batch.
    await recordProviderProgressMany(tx, progress, ctx.clock.now());
    // Then the changes, which post refunds and charges: by customer, so concurrent batches take
    // customers' balance rows in one order, and each holds them only for the end of its transaction.
    changes.sort((a, b) => a.order.userId - b.order.userId || a.order.id - b.order.id);
    for (const change of changes) {
      if (await change.apply(tx)) summary.changed++;
    }
  });
}

/** A status change (or a subscription's update) decided for an order, applied after the batch's reads. */
interface Change {
  readonly order: Order;
  apply(tx: Queryable): Promise<boolean>;
}

/**
 * Decides what one order's answer means. Progress with an unchanged status goes to `progress`
 * (written for the whole batch at once); a change of status is returned, to be applied later.
 */
function planAnswer(
  ctx: Context,
  gateway: ProviderGateway,
  provider: Provider,
  order: Order,
  answer: AnyOrderStatus | ItemError | undefined,
  children: SubscriptionPosts,
  progress: ProgressUpdate[],
  rates: RateTable,
): Change | null {
  const id = order.id;
  if (answer === undefined || isItemError(answer)) {
    const reason = answer === undefined ? 'missing from the answer' : answer.error;
    gateway.log.warn({ order: id, provider: provider.name, reason }, 'provider has no status for an order');
    return null;
  }
  if (order.kind === 'subscription') {
    return {
      order,
      apply: (tx) => applySubscriptionStatus(tx, ctx, gateway, provider, order, answer, children, rates),
    };
  }
  if (isSubscriptionStatus(answer)) {
    gateway.log.warn(
      { order: id, provider: provider.name },
      'provider answered a subscription status for an order',
    );
    return null;
  }
  const from = order.status;
  if (isFinalOrderStatus(from)) {
    // Settled here already (an admin, say): nothing more to follow.
    return { order, apply: (tx) => stopSync(tx, id).then(() => false) };
  }
  const to = readProviderOrderStatus(answer.status);
  const startCount = readProviderCount(answer.start_count) ?? order.startCount;
  const remains = readProviderCount(answer.remains);
  const seen: ProgressUpdate = {
    id,
    status: from,
    startCount,
    remains: remains ?? order.remains,
    providerStatus: String(answer.status),
    ...providerChargeOf(answer, provider, rates),
  };
  if (to === null) {
    gateway.log.warn(
      { order: id, provider: provider.name, status: answer.status },
      'unknown provider status; order kept',
    );
    progress.push({ ...seen, remains: order.remains });
    return null;
  }
  // A refund is computed from remains: never from a guess.
  if (to === 'partial' && remains === null) {
    gateway.log.warn(
      { order: id, provider: provider.name },
      'provider says Partial without remains; order kept',
    );
    progress.push({ ...seen, remains: order.remains });
    return null;
  }
  if (to === from || !canTransition(from, to)) {
    if (to !== from) {
      gateway.log.warn(
        { order: id, provider: provider.name, from, to },
        'provider status moved backwards; kept',
      );
    }
    progress.push(seen);
    return null;
  }
  return {
    order,
    async apply(tx) {
      const moved = await changeOrderStatus(tx, ctx, order, {
        to,
        startCount,
        remains: to === 'completed' ? 0 : seen.remains,
      });
      if (!moved.ok) return false;
      await recordProviderProgressMany(
        tx,
        [{ ...seen, status: to, remains: moved.value.remains }],
        ctx.clock.now(),
      );
      if (isFinalOrderStatus(to)) await stopSync(tx, id);
      if (order.parentId !== null) await settleDripfeedParent(tx, ctx, order.parentId);
      return true;
    },
  };
}

/**
 * What the provider says it charged for an order, as it said it (its currency), and the cost in the
 * panel's currency, converted now at the current rate (rounded up: a cost is never under-counted);
 * null when that currency has no rate.
 */
function providerChargeOf(
  answer: { charge: string; currency?: string },
  provider: Provider,
  rates: RateTable,
): { providerCharge: Money | null; providerCurrency: string | null; providerCost: Money | null } {
  const charge = parseMoney(answer.charge);
  const currency = answer.currency || null;
  const conversion = rateFor(rates, currency ?? provider.currency);
  const cost =
    charge === null || charge < 0n || !conversion.ok ? null : convertToPanel(charge, conversion.rate);
  return { providerCharge: charge, providerCurrency: currency, providerCost: cost };
}
