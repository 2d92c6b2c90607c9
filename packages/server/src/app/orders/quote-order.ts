import { type Result, fail, ok } from '../../domain/errors.js';
import { parseId } from '../../domain/id-list.js';
import { type Money, formatMoney } from '../../domain/money.js';
import { type RawParams, parseOrderRequest } from '../../domain/order-request.js';
import { effectiveRate, orderCharge, subscriptionReserve } from '../../domain/pricing.js';
import { findOrderableService } from '../../store/catalog.js';
import type { Context } from '../context.js';

export interface OrderQuote {
  /** What `add` would charge now (0 for a subscription: its posts are charged one by one). */
  readonly charge: string;
  /** Derived quantity per run (comments, usernames…), or the one given. */
  readonly quantity: number;
  /** A subscription: the balance `add` requires (one post at `max`). */
  readonly reserve: string | null;
}

/**
 * The charge an `add` with these parameters would post, without placing anything: the same
 * service lookup, the same validation (so the same error strings) and the same pricing as
 * `placeOrder`, which is what makes the figure the web panel shows equal the one charged.
 */
export async function quoteOrder(
  ctx: Context,
  userId: number,
  params: RawParams,
): Promise<Result<OrderQuote>> {
  const serviceId = parseId(params.service);
  const service = serviceId === null ? undefined : await findOrderableService(ctx.db, serviceId, userId);
  if (!service) return fail({ code: 'INCORRECT_SERVICE' });
  const parsed = parseOrderRequest(
    {
      type: service.type,
      min: Number(service.min_quantity),
      max: Number(service.max_quantity),
      dripfeed: service.dripfeed === 1n,
    },
    params,
    new Date(ctx.clock.now()),
  );
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  if ((request.subscription?.oldPosts ?? 0) > 0 && service.old_posts !== 1n)
    return fail({ code: 'INCORRECT_PARAM', param: 'old_posts' });
  const rate = effectiveRate(service.rate, service.custom_rate);
  const reserve: Money | null = request.subscription ? subscriptionReserve(rate, request) : null;
  return ok({
    charge: formatMoney(orderCharge(rate, request)),
    quantity: request.quantity,
    reserve: reserve === null ? null : formatMoney(reserve),
  });
}
