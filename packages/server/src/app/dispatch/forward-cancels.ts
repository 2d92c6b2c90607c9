import type { CancelItem } from '@smmkit/client';
import { isItemError } from '@smmkit/client';
import { retryDelayMs } from '../../domain/provider-status.js';
import { syncSoon } from '../../store/dispatch.js';
import {
  type ForwardRow,
  claimForwards,
  closeCancelRequest,
  recordCancelRefused,
  recordCancelSent,
  retryCancel,
} from '../../store/forwarding.js';
import { findProvider } from '../../store/providers.js';
import type { Context } from '../context.js';
import { type ProviderGateway, callProvider, describeFailure } from './provider-gateway.js';

const BATCH = 100;
const MAX_BATCHES_PER_RUN = 10;

/** Groups rows by provider, keeping each group at most `size` long. */
export function groupByProvider<T extends { provider_id: bigint }>(rows: readonly T[], size: number): T[][] {
  const byProvider = new Map<bigint, T[]>();
  for (const row of rows) {
    const group = byProvider.get(row.provider_id) ?? [];
    group.push(row);
    byProvider.set(row.provider_id, group);
  }
  const groups: T[][] = [];
  for (const group of byProvider.values()) {
    for (let start = 0; start < group.length; start += size) groups.push(group.slice(start, start + size));
  }
  return groups;
}

/**
 * The worker's cancel forwarding: customers' cancel requests on orders a provider has are sent to
 * it with one multi-id `cancel` per provider and batch. Accepted: the order's next status check is
 * brought forward (it ends Canceled, refunded, when the provider says so); refused: the request is
 * rejected with the provider's reason and the order goes on. A forwarded subscription was canceled
 * here already; its request closes once the provider accepts.
 */
export async function forwardCancels(ctx: Context, gateway: ProviderGateway): Promise<number> {
  let forwarded = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const now = ctx.clock.now();
    const rows = await ctx.db.transaction((tx) =>
      claimForwards(tx, 'cancel', { now, deadline: now + gateway.timeoutMs * 2 + 60_000, limit: BATCH }),
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
  let answers: CancelItem[];
  try {
    answers = await callProvider(gateway, provider, 'cancel', (client) =>
      client.cancel(rows.map((row) => Number(row.provider_order_id))),
    );
  } catch (error) {
    const reason = describeFailure(error);
    gateway.log.warn({ provider: provider.name, cancels: rows.length, reason }, 'provider cancel failed');
    await ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      for (const row of rows) {
        await retryCancel(tx, Number(row.id), now + retryDelayMs(Number(row.dispatch_attempts)), reason, now);
      }
    });
    return 0;
  }
  const byOrder = new Map(answers.map((answer) => [String(answer.order), answer.cancel]));
  let accepted = 0;
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    for (const row of rows) {
      const id = Number(row.id);
      const answer = byOrder.get(row.provider_order_id);
      if (answer === undefined) {
        await retryCancel(
          tx,
          id,
          now + retryDelayMs(Number(row.dispatch_attempts)),
          'missing from the answer',
          now,
        );
      } else if (isItemError(answer)) {
        await recordCancelRefused(tx, id, `refused by the provider: ${answer.error}`, now);
      } else if (await recordCancelSent(tx, id, now)) {
        accepted++;
        if (row.kind === 'subscription') await closeCancelRequest(tx, id, now);
        else await syncSoon(tx, Number(row.order_id), now);
      }
    }
  });
  return accepted;
}
