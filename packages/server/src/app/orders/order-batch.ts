import { type Result, fail, ok } from '../../domain/errors.js';
import { CommitNotDurable, type Database, type Queryable } from '../../store/database.js';
import {
  type BatchItem,
  type BatchOutcome,
  type NewPlainOrder,
  type OrderBatchInput,
  type OrderBatchOutput,
  decideBatch,
  packBatchItems,
  readBatchState,
  writeDecidedBatch,
} from '../../store/order-batch.js';
import type { ServiceOffer } from '../../store/service-offers.js';
import type { Context } from '../context.js';
import { type CachedCaller, StaleCaller } from '../users/api-caller-cache.js';
import { notifyBalanceLow } from '../webhooks/notify-balance-low.js';
import { StaleOffer } from './service-offer-cache.js';

/** The `add` answer. */
export interface BatchedAnswer {
  readonly order: number;
}

/** A validated plain order (kind 'order', no request key), priced before it joins a batch. */
export type PlainOrder = NewPlainOrder;

interface Pending {
  readonly ctx: Context;
  readonly order: PlainOrder;
  /** The per-order path (its own transaction), should the batch as a whole fail. */
  readonly alone: () => Promise<Result<BatchedAnswer>>;
  /** Set when the caller came from the cache: the batch checks the key first (see api-caller-cache.ts). */
  readonly caller: CachedCaller | undefined;
  /** Set when the order was priced from a cached offer: the batch checks it next (see service-offer-cache.ts). */
  readonly offer: ServiceOffer | undefined;
  readonly resolve: (result: Result<BatchedAnswer>) => void;
  readonly reject: (error: unknown) => void;
}

const batchers = new WeakMap<Database, OrderBatcher>();

/**
 * Plain `add`s that arrive while the database is busy with the previous commit share one
 * transaction (on the write thread where there is one): the batch's balances and conflicting
 * active links are read with one statement each, every order is decided in arrival order (as the
 * per-order path would have decided it: store/order-batch.ts), and the accepted ones are written
 * with one multi-row insert of orders, one balance update per user and one multi-row insert of their
 * `charge:<order>` ledger entries. Answers go out once that transaction's commit is durable. SQLite
 * only: see ARCHITECTURE.md ("The add write path").
 */
export function placeInBatch(
  ctx: Context,
  order: PlainOrder,
  alone: () => Promise<Result<BatchedAnswer>>,
  cached: { caller?: CachedCaller | undefined; offer?: ServiceOffer | undefined } = {},
): Promise<Result<BatchedAnswer>> {
  let batcher = batchers.get(ctx.db);
  if (!batcher) {
    batcher = new OrderBatcher(ctx.db);
    batchers.set(ctx.db, batcher);
  }
  return batcher.place(ctx, order, alone, cached.caller, cached.offer);
}

class OrderBatcher {
  /** The batch still taking orders: its transaction is queued but has not started. */
  private open: Pending[] | null = null;

  constructor(private readonly db: Database) {}

  place(
    ctx: Context,
    order: PlainOrder,
    alone: () => Promise<Result<BatchedAnswer>>,
    caller: CachedCaller | undefined,
    offer: ServiceOffer | undefined,
  ): Promise<Result<BatchedAnswer>> {
    // The batch the thread has written is settled first: this order then joins the next one, sent on its heels.
    this.db.takeWriteThreadAnswers?.();
    return new Promise((resolve, reject) => {
      const pending: Pending = { ctx, order, alone, caller, offer, resolve, reject };
      if (this.open) {
        this.open.push(pending);
        return;
      }
      const batch = [pending];
      this.open = batch;
      // From its turn on, later orders start the next batch.
      const close = () => {
        if (this.open === batch) this.open = null;
      };
      this.write(batch, close).then(
        ({ outcomes, ids }) => {
          for (const [i, item] of batch.entries()) {
            const outcome = outcomes[i]!;
            if (outcome === 'stale-caller') item.reject(new StaleCaller());
            else if (outcome === 'stale-offer') item.reject(new StaleOffer());
            else {
              // Committed: should its answer fail to form, it is still never placed again.
              try {
                item.resolve(resultOf(outcome, ids.get(i)));
              } catch (error) {
                item.reject(new CommitNotDurable(error));
              }
            }
          }
        },
        (error: unknown) => {
          close();
          // Committed, perhaps not durably: placing the orders again could place them twice.
          if (error instanceof CommitNotDurable) {
            for (const item of batch) item.reject(error);
            return;
          }
          // Nothing of the batch was kept: each order goes its own way, so one bad order fails no other.
          // One whose caller came from the cache is authenticated again first (its key was not checked).
          // One priced from a cached offer is priced again from a fresh read.
          for (const item of batch) {
            if (item.caller) item.reject(new StaleCaller());
            else if (item.offer) item.reject(new StaleOffer());
            else item.alone().then(item.resolve, item.reject);
          }
        },
      );
    });
  }

  /**
   * The batch's outcomes, and its placed orders' ids by position: on the write thread where there is
   * one, else (and for a batch with a `balance.low` notice) in a transaction of the loop's. A batch the
   * thread hands back for its notice joins the loop's queue at its end, read and decided again there:
   * batches are concurrent requests, and each is still decided whole in arrival order.
   */
  private async write(
    batch: readonly Pending[],
    close: () => void,
  ): Promise<{ outcomes: readonly BatchOutcome[]; ids: Map<number, number> }> {
    const onThread = this.db.onWriteThread;
    if (onThread) {
      const output = await onThread<OrderBatchInput, OrderBatchOutput>('order-batch', () => {
        close();
        return { items: packBatchItems(batch.map(itemOf)), now: batch[0]!.ctx.clock.now() };
      });
      if (!('onLoop' in output)) {
        // Committed and synced: whatever fails from here on, nothing of it may be placed again.
        try {
          return placed(output.outcomes, output.ids);
        } catch (error) {
          throw new CommitNotDurable(error);
        }
      }
    }
    return this.db.transaction((tx) => {
      close();
      return writeBatch(tx, batch);
    });
  }
}

/** What of a pending order crosses to the write thread. */
function itemOf(pending: Pending): BatchItem {
  return { order: pending.order, caller: pending.caller ?? null, offer: pending.offer ?? null };
}

/** The placed orders' ids by their position in the batch. */
function placed(
  outcomes: readonly BatchOutcome[],
  ids: readonly number[],
): { outcomes: readonly BatchOutcome[]; ids: Map<number, number> } {
  const byPosition = new Map<number, number>();
  let k = 0;
  for (const [i, outcome] of outcomes.entries()) if (outcome === 'placed') byPosition.set(i, ids[k++]!);
  if (k !== ids.length) throw new Error('the batch placed a different number of orders than it has ids');
  return { outcomes, ids: byPosition };
}

/** The answer of an order that was decided (not stale). */
function resultOf(outcome: BatchOutcome, id: number | undefined): Result<BatchedAnswer> {
  if (outcome === 'duplicate-active-link') return fail({ code: 'DUPLICATE_ACTIVE_LINK' });
  if (outcome === 'not-enough-funds') return fail({ code: 'NOT_ENOUGH_FUNDS' });
  if (outcome !== 'placed' || id === undefined)
    throw new Error(`an order of the batch ended ${outcome} without an id`);
  return ok({ order: id });
}

/** The batch as one transaction on the event loop: read, decide, write, and `balance.low` where a charge crosses it. */
async function writeBatch(
  tx: Queryable,
  batch: readonly Pending[],
): Promise<{ outcomes: readonly BatchOutcome[]; ids: Map<number, number> }> {
  const items = batch.map(itemOf);
  const decision = decideBatch(items, await readBatchState(tx, items));
  const ids = await writeDecidedBatch(tx, items, decision, batch[0]!.ctx.clock.now());
  // `balance.low`, as postBalanceChange sends it: from the charge that took the balance below the threshold.
  for (const { k, balanceAfter, threshold } of decision.crossings) {
    const { ctx, order } = batch[decision.accepted[k]!]!;
    await notifyBalanceLow(tx, ctx, {
      userId: order.userId,
      balance: balanceAfter,
      threshold,
      entryKey: `charge:${ids[k]!}`,
    });
  }
  return placed(decision.outcomes, ids);
}
