import { type ItemError, type SmmApiClient, isItemError } from '@smmkit/client';
import { retryDelayMs } from '../../domain/provider-status.js';
import type { Queryable } from '../../store/database.js';
import { type ForwardRequest, type ForwardTable, claimForwards } from '../../store/forwarding.js';
import type { Context } from '../context.js';
import { findProvider } from '../../store/providers.js';
import { type ProviderGateway, callProvider, describeFailure } from './provider-gateway.js';

const BATCH = 100;
const MAX_BATCHES_PER_RUN = 10;

/** How one kind of request (cancel, refill) is forwarded: the call, and what each answer does. */
export interface ForwardKind {
  readonly table: ForwardTable;
  /** Sends the provider's order ids; answers one `{ order, result }` per id. */
  call(client: SmmApiClient, orderIds: number[]): Promise<{ order: number; result: number | ItemError }[]>;
  /** Back to the queue, to be sent again after `after`. */
  retry(tx: Queryable, id: number, after: number, reason: string, now: number): Promise<void>;
  /** The provider refused it: closed with the provider's reason. */
  refuse(tx: Queryable, id: number, reason: string, now: number): Promise<boolean>;
  /** The provider accepted it (`result`: its id, or 1); true when recorded. */
  accept(tx: Queryable, request: ForwardRequest, result: number, now: number): Promise<boolean>;
}

/** Groups rows by provider, keeping each group at most `size` long. */
export function groupByProvider<T extends { readonly providerId: number }>(
  rows: readonly T[],
  size: number,
): T[][] {
  const byProvider = new Map<number, T[]>();
  for (const row of rows) {
    const group = byProvider.get(row.providerId) ?? [];
    group.push(row);
    byProvider.set(row.providerId, group);
  }
  const groups: T[][] = [];
  for (const group of byProvider.values()) {
    for (let start = 0; start < group.length; start += size) groups.push(group.slice(start, start + size));
  }
  return groups;
}

/**
 * Claims queued requests of one kind (see store/forwarding.ts) and sends them with one multi-id
 * call per provider and batch. A failed call puts the whole batch back with a back-off; otherwise
 * each request is accepted, refused with the provider's reason, or retried if the answer left it out.
 * Resolves to the number accepted.
 */
export async function forwardRequests(
  ctx: Context,
  gateway: ProviderGateway,
  kind: ForwardKind,
): Promise<number> {
  let accepted = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const now = ctx.clock.now();
    const rows = await ctx.db.transaction((tx) =>
      claimForwards(tx, kind.table, { now, deadline: now + gateway.timeoutMs * 2 + 10_000, limit: BATCH }),
    );
    for (const group of groupByProvider(rows, BATCH))
      accepted += await forwardGroup(ctx, gateway, kind, group);
    if (rows.length < BATCH) break;
  }
  return accepted;
}

async function forwardGroup(
  ctx: Context,
  gateway: ProviderGateway,
  kind: ForwardKind,
  rows: readonly ForwardRequest[],
): Promise<number> {
  const provider = await findProvider(ctx.db, rows[0]!.providerId);
  if (!provider) throw new Error(`provider ${rows[0]!.providerId} is gone`);
  const retryAfter = (row: ForwardRequest, now: number) => now + retryDelayMs(row.attempts);
  let answers: { order: number; result: number | ItemError }[];
  try {
    answers = await callProvider(gateway, provider, kind.table, (client) =>
      kind.call(
        client,
        // Provider order ids are stored as the provider answered them: digits (see resolve-review).
        rows.map((row) => Number(row.providerOrderId)),
      ),
    );
  } catch (error) {
    const reason = describeFailure(error);
    gateway.log.warn(
      { provider: provider.name, requests: rows.length, reason },
      `provider ${kind.table} failed`,
    );
    await ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      for (const row of rows) await kind.retry(tx, row.id, retryAfter(row, now), reason, now);
    });
    return 0;
  }
  const byOrder = new Map(answers.map((answer) => [String(answer.order), answer.result]));
  let accepted = 0;
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    for (const row of rows) {
      const id = row.id;
      const result = byOrder.get(row.providerOrderId);
      if (result === undefined) {
        await kind.retry(tx, id, retryAfter(row, now), 'missing from the answer', now);
      } else if (isItemError(result)) {
        await kind.refuse(tx, id, `refused by the provider: ${result.error}`, now);
      } else if (await kind.accept(tx, row, result, now)) {
        accepted++;
      }
    }
  });
  return accepted;
}
