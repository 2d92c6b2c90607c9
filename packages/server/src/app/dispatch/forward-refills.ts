import { type RefillItem, type RefillStatusItem, isItemError } from '@smmkit/client';
import { canTransitionRefill, isOpenRefill } from '../../domain/order-status.js';
import { readProviderRefillStatus, retryDelayMs } from '../../domain/provider-status.js';
import {
  type ForwardRow,
  type RefillSyncRow,
  claimForwards,
  claimRefillSync,
  recordRefillRefused,
  recordRefillSent,
  retryRefill,
  stopRefillSync,
} from '../../store/forwarding.js';
import { findProvider } from '../../store/providers.js';
import { updateRefillStatus } from '../../store/refills.js';
import type { Context } from '../context.js';
import { groupByProvider } from './forward-cancels.js';
import { type ProviderGateway, callProvider, describeFailure } from './provider-gateway.js';

const BATCH = 100;
const MAX_BATCHES_PER_RUN = 10;

/**
 * The worker's refill forwarding: refills of orders a provider has go to it with one multi-id
 * `refill` per provider and batch. Accepted: its refill id is kept and its status followed;
 * refused: the refill is Rejected with the provider's reason.
 */
export async function forwardRefills(ctx: Context, gateway: ProviderGateway): Promise<number> {
  let forwarded = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const now = ctx.clock.now();
    const rows = await ctx.db.transaction((tx) =>
      claimForwards(tx, 'refill', { now, deadline: now + gateway.timeoutMs * 2 + 60_000, limit: BATCH }),
    );
    for (const group of groupByProvider(rows, BATCH)) forwarded += await forwardGroup(ctx, gateway, group);
    if (rows.length < BATCH) break;
  }
  return forwarded;
}

async function forwardGroup(
  ctx: Context,
  gateway: ProviderGateway,
  rows: readonly ForwardRow[],
): Promise<number> {
  const provider = await findProvider(ctx.db, Number(rows[0]!.provider_id));
  if (!provider) throw new Error(`provider ${rows[0]!.provider_id} is gone`);
  let answers: RefillItem[];
  try {
    answers = await callProvider(gateway, provider, 'refill', (client) =>
      client.refills(rows.map((row) => Number(row.provider_order_id))),
    );
  } catch (error) {
    const reason = describeFailure(error);
    gateway.log.warn({ provider: provider.name, refills: rows.length, reason }, 'provider refill failed');
    await ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      for (const row of rows) {
        await retryRefill(tx, Number(row.id), now + retryDelayMs(Number(row.dispatch_attempts)), reason, now);
      }
    });
    return 0;
  }
  const byOrder = new Map(answers.map((answer) => [String(answer.order), answer.refill]));
  let accepted = 0;
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    for (const row of rows) {
      const id = Number(row.id);
      const answer = byOrder.get(row.provider_order_id);
      if (answer === undefined) {
        await retryRefill(
          tx,
          id,
          now + retryDelayMs(Number(row.dispatch_attempts)),
          'missing from the answer',
          now,
        );
      } else if (isItemError(answer)) {
        await recordRefillRefused(tx, id, `refused by the provider: ${answer.error}`, now);
      } else if (
        await recordRefillSent(tx, {
          id,
          providerRefillId: String(answer),
          nextSyncAt: now + gateway.syncIntervalMs,
          now,
        })
      ) {
        accepted++;
      }
    }
  });
  return accepted;
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
  rows: readonly RefillSyncRow[],
): Promise<number> {
  const provider = await findProvider(ctx.db, Number(rows[0]!.provider_id));
  if (!provider) throw new Error(`provider ${rows[0]!.provider_id} is gone`);
  let answers: RefillStatusItem[];
  try {
    answers = await callProvider(gateway, provider, 'refill_status', (client) =>
      client.refillStatuses(rows.map((row) => Number(row.provider_refill_id))),
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
      const id = Number(row.id);
      if (!isOpenRefill(row.status)) {
        await stopRefillSync(tx, id);
        continue;
      }
      const answer = byRefill.get(row.provider_refill_id);
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
        if (!isOpenRefill(to)) await stopRefillSync(tx, id);
      }
    }
  });
  return changed;
}
