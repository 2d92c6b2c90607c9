import { type Result, ok } from '../../domain/errors.js';
import { type Money, formatMoney } from '../../domain/money.js';
import type { RawParams } from '../../domain/order-request.js';
import { subscriptionReserve } from '../../domain/pricing.js';
import type { Context } from '../context.js';
import { validateOrder } from './validate-order.js';

export interface OrderQuote {
  /** What `add` would charge now (0 for a subscription: its posts are charged one by one). */
  readonly charge: string;
  /** Derived quantity per run (comments, usernames…), or the one given. */
  readonly quantity: number;
  /** A subscription: the balance `add` requires (one post at `max`). */
  readonly reserve: string | null;
}

/**
 * The charge an `add` with these parameters would post, without placing anything: it starts from
 * `validateOrder` as `placeOrder` does (same lookup, error strings and pricing), which is what makes the figure the web panel shows equal the one charged.
 */
export async function quoteOrder(
  ctx: Context,
  userId: number,
  params: RawParams,
): Promise<Result<OrderQuote>> {
  const valid = await validateOrder(ctx, userId, params);
  if (!valid.ok) return valid;
  const { request, rate, charge } = valid.value;
  const reserve: Money | null = request.subscription ? subscriptionReserve(rate, request) : null;
  return ok({
    charge: formatMoney(charge),
    quantity: request.quantity,
    reserve: reserve === null ? null : formatMoney(reserve),
  });
}
