import { type Result, fail, ok } from '../../domain/errors.js';
import { parseId } from '../../domain/id-list.js';
import type { Money } from '../../domain/money.js';
import { type OrderRequest, type RawParams, parseOrderRequest } from '../../domain/order-request.js';
import { effectiveRate, orderCharge } from '../../domain/pricing.js';
import { type ServiceOffer, findServiceOffer } from '../../store/service-offers.js';
import type { Context } from '../context.js';

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
