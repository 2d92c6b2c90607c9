import { type Result, fail, ok } from '../../domain/errors.js';
import { crossesBelowThreshold } from '../../domain/webhooks.js';
import { CommitNotDurable, type Database, type Queryable } from '../../store/database.js';
import {
  type NewCharge,
  type NewPlainOrder,
  activeLinkKey,
  debitCoveredBalance,
  insertCharges,
  insertPlainOrders,
  readActiveLinks,
  readBalances,
} from '../../store/order-batch.js';
import { readKeyCallers } from '../../store/api-keys.js';
import {
  type ServiceOffer,
  findServiceOffers,
  sameServiceOffer,
  serviceOfferKey,
} from '../../store/service-offers.js';
import type { Context } from '../context.js';
import { type CachedCaller, StaleCaller, stillCaller } from '../users/api-caller-cache.js';
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
 * transaction: the batch's balances and conflicting active links are read with one statement
 * each, every order is decided here in arrival order (as the per-order path would have decided
 * it), and the accepted ones are written with one multi-row insert of orders, one balance update
 * per user and one multi-row insert of their `charge:<order>` ledger entries. Answers go out once
 * that transaction's commit is durable. SQLite only: see ARCHITECTURE.md ("The add write path").
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

/** The result of an order whose cached caller the key no longer confirms: it was not placed. */
const STALE = Symbol('stale caller');
/** The result of an order priced from a cached offer the service no longer confirms: it was not placed. */
const STALE_OFFER = Symbol('stale offer');

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
    return new Promise((resolve, reject) => {
      const pending: Pending = { ctx, order, alone, caller, offer, resolve, reject };
      if (this.open) {
        this.open.push(pending);
        return;
      }
      const batch = [pending];
      this.open = batch;
      this.db
        .transaction((tx) => {
          // From here on later orders start the next batch.
          if (this.open === batch) this.open = null;
          return writeBatch(tx, batch);
        })
        .then(
          (results) => {
            for (const [i, item] of batch.entries()) {
              const result = results[i]!;
              if (result === STALE) item.reject(new StaleCaller());
              else if (result === STALE_OFFER) item.reject(new StaleOffer());
              else item.resolve(result);
            }
          },
          (error: unknown) => {
            if (this.open === batch) this.open = null;
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
}

async function writeBatch(
  tx: Queryable,
  batch: readonly Pending[],
): Promise<(Result<BatchedAnswer> | typeof STALE | typeof STALE_OFFER)[]> {
  const now = batch[0]!.ctx.clock.now();
  // Loops, not flatMap (see validIds).
  const cachedKeys: number[] = [];
  const cachedOffers: { userId: number; serviceId: number }[] = [];
  const links: { serviceId: number; link: string }[] = [];
  for (const { caller, offer, order } of batch) {
    if (caller) cachedKeys.push(caller.keyId);
    if (offer) cachedOffers.push({ userId: order.userId, serviceId: order.serviceId });
    if (order.activeLink !== null) links.push({ serviceId: order.serviceId, link: order.activeLink });
  }
  const keyCallers = cachedKeys.length === 0 ? null : await readKeyCallers(tx, cachedKeys);
  const offersNow = cachedOffers.length === 0 ? null : await findServiceOffers(tx, cachedOffers);
  const balances = await readBalances(tx, [...new Set(batch.map((item) => item.order.userId))]);
  const held = await readActiveLinks(tx, links);

  // Decided in arrival order, with the checks of the per-order path in its order: the key (when it came from
  // the cache), the offer it was priced from (when that came from the cache), the link, then the money.
  const results: (Result<BatchedAnswer> | typeof STALE | typeof STALE_OFFER | null)[] = [];
  const running = new Map([...balances].map(([userId, { balance }]) => [userId, balance]));
  const accepted: { index: number; item: Pending; balanceAfter: bigint }[] = [];
  for (const [index, item] of batch.entries()) {
    const { order, caller, offer } = item;
    if (caller && !stillCaller(caller, keyCallers?.get(caller.keyId))) {
      results.push(STALE);
      continue;
    }
    if (offer && !sameServiceOffer(offer, offersNow?.get(serviceOfferKey(order.userId, order.serviceId)))) {
      results.push(STALE_OFFER);
      continue;
    }
    const linkKey = order.activeLink === null ? null : activeLinkKey(order.serviceId, order.activeLink);
    if (linkKey !== null && held.has(linkKey)) {
      results.push(fail({ code: 'DUPLICATE_ACTIVE_LINK' }));
      continue;
    }
    const balance = running.get(order.userId);
    // A charge may not take the balance below zero; even a free order waits while a chargeback holds it there.
    if (balance === undefined || balance - order.charge < 0n || balance < 0n) {
      results.push(fail({ code: 'NOT_ENOUGH_FUNDS' }));
      continue;
    }
    if (linkKey !== null) held.add(linkKey);
    running.set(order.userId, balance - order.charge);
    accepted.push({ index, item, balanceAfter: balance - order.charge });
    results.push(null);
  }

  const ids =
    accepted.length === 0
      ? []
      : await insertPlainOrders(
          tx,
          accepted.map(({ item }) => item.order),
          now,
        );
  const debits = new Map<number, bigint>();
  const charges: NewCharge[] = [];
  for (const [k, { index, item, balanceAfter }] of accepted.entries()) {
    const orderId = ids[k]!;
    results[index] = ok({ order: orderId });
    const { userId, charge } = item.order;
    if (charge <= 0n) continue;
    debits.set(userId, (debits.get(userId) ?? 0n) + charge);
    charges.push({ userId, orderId, charge, balanceAfter, now });
  }
  for (const [userId, total] of debits) await debitCoveredBalance(tx, userId, total);
  await insertCharges(tx, charges);

  // `balance.low`, as postBalanceChange sends it: from the charge that took the balance below the threshold.
  for (const [k, { item, balanceAfter }] of accepted.entries()) {
    const { userId, charge } = item.order;
    const threshold = balances.get(userId)?.lowBalanceThreshold ?? null;
    if (
      charge > 0n &&
      threshold !== null &&
      crossesBelowThreshold(threshold, balanceAfter + charge, balanceAfter)
    ) {
      await notifyBalanceLow(tx, item.ctx, {
        userId,
        balance: balanceAfter,
        threshold,
        entryKey: `charge:${ids[k]!}`,
      });
    }
  }
  return results.map((result) => {
    if (result === null) throw new Error('an accepted order of the batch got no id');
    return result;
  });
}
