import { FailureSignal, type Result, fail, ok } from '../../domain/errors.js';
import type { RawParams } from '../../domain/order-request.js';
import type { KindAndStatus, OrderKind } from '../../domain/order-status.js';
import { subscriptionReserve } from '../../domain/pricing.js';
import { hasUnsafeCharacters } from '../../domain/text-safety.js';
import { expiryStartMs } from '../../domain/subscriptions.js';
import type { Queryable } from '../../store/database.js';
import { findIdempotencyKey, saveIdempotencyKey } from '../../store/idempotency.js';
import { insertOrder } from '../../store/orders.js';
import { findUserById } from '../../store/users.js';
import type { Context } from '../context.js';
import { postBalanceChange } from '../funds/post-balance-change.js';
import { type CachedCaller, StaleCaller } from '../users/api-caller-cache.js';
import { placeInBatch } from './order-batch.js';
import { requestFingerprint } from './request-fingerprint.js';
import { type ServiceOfferCache, StaleOffer } from './service-offer-cache.js';
import { validateOrder, validateWithCachedOffer } from './validate-order.js';

/** What `placeOrder` rejects with when its commit was written but not synced: never to be placed again. */
export { CommitNotDurable } from '../../store/database.js';

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_REQUEST_KEY_LENGTH = 64;

export interface PlaceOrderInput {
  readonly userId: number;
  readonly params: RawParams;
  /** `request_id` or the `Idempotency-Key` header. */
  readonly requestKey?: string | undefined;
  /**
   * Set when the caller came from the cache rather than a read of the key: the order is placed only
   * in a batch, which checks the key first; any other order throws `StaleCaller` before writing.
   */
  readonly cachedCaller?: CachedCaller | undefined;
  /**
   * With `cachedCaller` only: offers a plain order may be priced from, checked again by its batch
   * (see service-offer-cache.ts).
   */
  readonly offers?: ServiceOfferCache | undefined;
}

/** The `add` answer, kept verbatim for replays. */
export interface PlacedOrder {
  readonly order: number;
}

class ConcurrentReplay extends Error {}

async function replay(
  q: Queryable,
  userId: number,
  key: string,
  fingerprint: string,
  freshAfter: number,
): Promise<Result<PlacedOrder> | null> {
  const saved = await findIdempotencyKey(q, userId, key);
  if (!saved || saved.createdAt < freshAfter) return null;
  if (saved.requestHash !== fingerprint) return fail({ code: 'IDEMPOTENCY_MISMATCH' });
  return ok(JSON.parse(saved.response) as PlacedOrder);
}

/**
 * `add`: validates against the service's type, then in one transaction inserts the order, posts
 * its charge to the ledger (the balance can never go below zero) and records the request key.
 * Any failure inside rolls everything back.
 */
export async function placeOrder(
  ctx: Context,
  input: PlaceOrderInput,
  /** Set for the second try of an order whose cached offer its batch found stale: read it afresh. */
  retry: { readonly offerWasStale: boolean } = { offerWasStale: false },
): Promise<Result<PlacedOrder>> {
  const { userId, params } = input;
  const key = input.requestKey?.trim() || undefined;
  if (key !== undefined && (key.length > MAX_REQUEST_KEY_LENGTH || hasUnsafeCharacters(key)))
    return fail({ code: 'INCORRECT_PARAM', param: 'request_id' });
  const fingerprint = key === undefined ? '' : requestFingerprint(params);
  const freshAfter = ctx.clock.now() - IDEMPOTENCY_WINDOW_MS;
  if (key !== undefined) {
    const replayed = await replay(ctx.db, userId, key, fingerprint, freshAfter);
    if (replayed) return replayed;
  }

  const { valid, fromCache } =
    input.cachedCaller && input.offers
      ? await validateWithCachedOffer(ctx, userId, params, input.offers, !retry.offerWasStale)
      : { valid: await validateOrder(ctx, userId, params), fromCache: false };
  if (!valid.ok) return valid;
  const { service, request, rate, charge } = valid.value;
  const kind: OrderKind = request.subscription
    ? 'subscription'
    : request.runs !== null
      ? 'dripfeed'
      : 'order';
  const kindAndStatus: KindAndStatus =
    kind === 'subscription' ? { kind, status: 'active' } : { kind, status: 'pending' };
  const totalQuantity = request.quantity * (request.runs ?? 1);
  const providerId = service.providerId;
  const details = JSON.stringify(
    request.subscription ? { ...request.details, ...request.subscription } : request.details,
  );

  const transact = () =>
    ctx.db.transaction(async (tx): Promise<Result<PlacedOrder>> => {
      const now = ctx.clock.now();
      if (key !== undefined) {
        const replayed = await replay(tx, userId, key, fingerprint, freshAfter);
        if (replayed) return replayed;
      }
      if (request.subscription) {
        const user = await findUserById(tx, userId);
        if (!user || user.balance < subscriptionReserve(rate, request))
          return fail({ code: 'NOT_ENOUGH_FUNDS' });
      }
      const orderId = await insertOrder(tx, {
        userId,
        serviceId: service.id,
        ...kindAndStatus,
        parentId: null,
        link: request.link,
        quantity: request.quantity,
        runs: request.runs,
        intervalMinutes: request.interval,
        details,
        rate,
        charge,
        remains: totalQuantity,
        activeLink: service.allowDuplicateLinks ? null : request.link,
        expiresAt: request.subscription?.expiry ? expiryStartMs(request.subscription.expiry) : null,
        // A forwarded subscription's provider makes its posts, old ones included.
        unpaidPosts: providerId === null ? (request.subscription?.oldPosts ?? 0) : 0,
        nextRunAt: kind === 'dripfeed' ? now : null,
        providerId,
        providerServiceId: service.providerServiceId,
        // A drip-feed parent stays here; each of its runs is forwarded as an ordinary order.
        dispatchState: providerId !== null && kind !== 'dripfeed' ? 'queued' : 'manual',
        now,
      });
      if (orderId === null) return fail({ code: 'DUPLICATE_ACTIVE_LINK' });
      if (charge > 0n) {
        const posting = await postBalanceChange(tx, ctx, {
          userId,
          amount: -charge,
          kind: 'charge',
          entryKey: `charge:${orderId}`,
          orderId,
          memo: null,
          now,
        });
        if (posting.status !== 'posted') throw new FailureSignal({ code: 'NOT_ENOUGH_FUNDS' });
      } else if (((await findUserById(tx, userId))?.balance ?? -1n) < 0n) {
        // Even a free order waits while a chargeback holds the balance below zero.
        throw new FailureSignal({ code: 'NOT_ENOUGH_FUNDS' });
      }
      const answer: PlacedOrder = { order: orderId };
      if (key !== undefined) {
        const saved = await saveIdempotencyKey(tx, {
          userId,
          key,
          requestHash: fingerprint,
          response: JSON.stringify(answer),
          now,
          expiredBefore: freshAfter,
        });
        if (!saved) throw new ConcurrentReplay();
      }
      return ok(answer);
    });

  const placeAlone = async (): Promise<Result<PlacedOrder>> => {
    let result: Result<PlacedOrder>;
    try {
      result = await transact();
    } catch (error) {
      // Another request with the same key committed first: answer as it did.
      if (error instanceof ConcurrentReplay && key !== undefined) {
        return (await replay(ctx.db, userId, key, fingerprint, freshAfter)) ?? fail({ code: 'INTERNAL' });
      }
      if (!(error instanceof FailureSignal)) throw error;
      result = fail(error.failure);
    }
    // A keyed retry that waited on its twin (for the balance or the active link) and was refused once
    // the twin committed answers as the twin did, not with "Not enough funds" or "active order".
    if (!result.ok && key !== undefined) {
      const replayed = await replay(ctx.db, userId, key, fingerprint, freshAfter);
      if (replayed) return replayed;
    }
    return result;
  };

  // A plain order on SQLite joins the batch of its turn (one transaction, multi-row writes).
  const batched = kind === 'order' && key === undefined && ctx.db.dialect === 'sqlite';
  if (input.cachedCaller && !batched) throw new StaleCaller();
  if (batched) {
    const placing = placeInBatch(
      ctx,
      {
        userId,
        serviceId: service.id,
        link: request.link,
        quantity: request.quantity,
        details,
        rate,
        charge,
        remains: totalQuantity,
        activeLink: service.allowDuplicateLinks ? null : request.link,
        providerId,
        providerServiceId: service.providerServiceId,
        dispatchState: providerId !== null ? 'queued' : 'manual',
      },
      placeAlone,
      { caller: input.cachedCaller, offer: fromCache ? service : undefined },
    );
    if (!fromCache) return placing;
    try {
      return await placing;
    } catch (error) {
      if (!(error instanceof StaleOffer)) throw error;
      // Priced from an offer that changed: nothing was written. Once more, from a fresh read (kept in the cache).
      return placeOrder(ctx, input, { offerWasStale: true });
    }
  }
  return placeAlone();
}
