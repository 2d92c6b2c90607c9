import { type RefillStatusItem, isItemError } from '@smmkit/client';
import { canTransitionRefill, isOpenRefill } from '../../domain/order-status.js';
import { readProviderRefillStatus } from '../../domain/provider-status.js';
import {
  type RefillSyncTarget,
  claimRefillSync,
  recordRefillRefused,
  recordRefillSent,
  retryRefill,
  stopRefillSync,
} from '../../store/forwarding.js';
import { findRefill, updateRefillStatus } from '../../store/refills.js';
import { notifyRefillUpdated } from '../webhooks/notify-order-updated.js';
import type { Context } from '../context.js';
import { type ForwardKind, forwardRequests, groupByProvider } from './forward-requests.js';
import { findProvider } from '../../store/providers.js';
import { type ProviderGateway, callProvider, describeFailure } from './provider-gateway.js';

const BATCH = 100;
const MAX_BATCHES_PER_RUN = 10;

function refills(gateway: ProviderGateway): ForwardKind {
  return {
    table: 'refill',
    call: async (client, orderIds) =>
      (await client.refills(orderIds)).map((item) => ({ order: item.order, result: item.refill })),
    retry: retryRefill,
    refuse: recordRefillRefused,
    accept: (tx, request, result, now) =>
      recordRefillSent(tx, {
        id: request.id,
        providerRefillId: String(result),
        nextSyncAt: now + gateway.syncIntervalMs,
        now,
      }),
  };
}

/**
 * The worker's refill forwarding: refills of orders a provider has go to it with one multi-id
 * `refill` per provider and batch. Accepted: its refill id is kept and its status followed;
 * refused: the refill is Rejected with the provider's reason.
 */
export function forwardRefills(ctx: Context, gateway: ProviderGateway): Promise<number> {
  return forwardRequests(ctx, gateway, refills(gateway));
}

/** Follows forwarded refills with multi `refill_status`, per provider, 100 at a time. */
export async function syncRefills(ctx: Context, gateway: ProviderGateway): Promise<number> {
  let changed = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const now = ctx.clock.now();
    const rows = await ctx.db.transaction((tx) =>
      claimRefillSync(tx, { now, nextSyncAt: now + gateway.syncIntervalMs, limit: BATCH }),
    );
    for (const group of groupByProvider(rows, BATCH)) changed += await syncGroup(ctx, gateway, group);
    if (rows.length < BATCH) break;
  }
  return changed;
}

async function syncGroup(
  ctx: Context,
  gateway: ProviderGateway,
  rows: readonly RefillSyncTarget[],
): Promise<number> {
  const provider = await findProvider(ctx.db, rows[0]!.providerId);
  if (!provider) throw new Error(`provider ${rows[0]!.providerId} is gone`);
  let answers: RefillStatusItem[];
  try {
    answers = await callProvider(gateway, provider, 'refill_status', (client) =>
      client.refillStatuses(rows.map((row) => Number(row.providerRefillId))),
    );
  } catch (error) {
    gateway.log.warn(
      { provider: provider.name, reason: describeFailure(error) },
      'provider refill_status failed',
    );
    return 0;
  }
  const byRefill = new Map(answers.map((answer) => [String(answer.refill), answer.status]));
  let changed = 0;
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    for (const row of rows) {
      const id = row.id;
      if (!isOpenRefill(row.status)) {
        await stopRefillSync(tx, id);
        continue;
      }
      const answer = byRefill.get(row.providerRefillId);
      if (answer === undefined || isItemError(answer)) continue;
      const to = readProviderRefillStatus(answer);
      if (to === null) {
        gateway.log.warn(
          { refill: id, provider: provider.name, status: answer },
          'unknown refill status; kept',
        );
        continue;
      }
      if (to === row.status || !canTransitionRefill(row.status, to)) continue;
      if (await updateRefillStatus(tx, { id, from: row.status, to, now })) {
        changed++;
        const refill = await findRefill(tx, id);
        if (refill) await notifyRefillUpdated(tx, ctx, refill, to);
        if (!isOpenRefill(to)) await stopRefillSync(tx, id);
      }
    }
  });
  return changed;
}
