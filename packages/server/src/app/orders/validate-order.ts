import { type Result, fail, ok } from '../../domain/errors.js';
import { parseId } from '../../domain/id-list.js';
import type { Money } from '../../domain/money.js';
import { type OrderRequest, type RawParams, parseOrderRequest } from '../../domain/order-request.js';
import { effectiveRate, orderCharge } from '../../domain/pricing.js';
import { type ServiceOffer, findServiceOffer } from '../../store/service-offers.js';
import type { Context } from '../context.js';
import type { ServiceOfferCache } from './service-offer-cache.js';

export interface ValidOrder {
  readonly service: ServiceOffer;
  readonly request: OrderRequest;
  /** This user's rate per 1000 (custom or the service's). */
  readonly rate: Money;
  readonly charge: Money;
}

/**
 * What `add` checks before anything is written, in the order that decides which error a client
 * sees: the service (enabled, visible to this user), the type's parameters, old posts; then the
 * price. `placeOrder` and the web panel's quote both start here, so they can never disagree.
 */
export async function validateOrder(
  ctx: Context,
  userId: number,
  params: RawParams,
): Promise<Result<ValidOrder>> {
  const serviceId = parseId(params.service);
  const service = serviceId === null ? undefined : await findServiceOffer(ctx.db, serviceId, userId);
  return validateAgainst(ctx, service, params);
}

/**
 * `validateOrder` for a cached caller's plain order (see service-offer-cache.ts): the offer from
 * `offers` when it holds it, `useCache` is set and the order passes with it (`fromCache`: the batch
 * checks it again), else read afresh and kept there. An error is only ever decided by a fresh read.
 */
export async function validateWithCachedOffer(
  ctx: Context,
  userId: number,
  params: RawParams,
  offers: ServiceOfferCache,
  useCache: boolean,
): Promise<{ valid: Result<ValidOrder>; fromCache: boolean }> {
  const serviceId = parseId(params.service);
  if (serviceId === null) return { valid: fail({ code: 'INCORRECT_SERVICE' }), fromCache: false };
  const cached = useCache ? offers.get(userId, serviceId) : undefined;
  if (cached) {
    const valid = validateAgainst(ctx, cached, params);
    if (valid.ok) return { valid, fromCache: true };
  }
  const service = await findServiceOffer(ctx.db, serviceId, userId);
  if (service) offers.set(userId, service);
  else offers.delete(userId, serviceId);
  return { valid: validateAgainst(ctx, service, params), fromCache: false };
}

function validateAgainst(
  ctx: Context,
  service: ServiceOffer | undefined,
  params: RawParams,
): Result<ValidOrder> {
  if (!service) return fail({ code: 'INCORRECT_SERVICE' });
  const parsed = parseOrderRequest(
    {
      type: service.type,
      min: service.minQuantity,
      max: service.maxQuantity,
      dripfeed: service.dripfeed,
    },
    params,
    new Date(ctx.clock.now()),
  );
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  if ((request.subscription?.oldPosts ?? 0) > 0 && !service.oldPosts)
    return fail({ code: 'INCORRECT_PARAM', param: 'old_posts' });
  const rate = effectiveRate(service.rate, service.customRate);
  return ok({ service, request, rate, charge: orderCharge(rate, request) });
}
