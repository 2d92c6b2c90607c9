import { type Result, fail, ok } from '../../domain/errors.js';
import { parseId, parseIdList } from '../../domain/id-list.js';
import { refillRefusal } from '../../domain/lifecycle-rules.js';
import { isOpenRefill } from '../../domain/order-status.js';
import { findLatestRefill, findOwnRefillableOrder, insertRefill } from '../../store/refills.js';
import type { Context } from '../context.js';

/**
 * The one routine behind `refill` with `order` and with `orders`: in one transaction, the caller's
 * order (another user's is indistinguishable from a missing one), the refill rules, then the
 * refill. The unique "one open refill per order" index settles any race the reads did not see.
 */
async function requestOrderRefill(ctx: Context, userId: number, orderId: number): Promise<Result<number>> {
  return ctx.db.transaction(async (tx): Promise<Result<number>> => {
    const order = await findOwnRefillableOrder(tx, userId, orderId);
    if (!order) return fail({ code: 'INCORRECT_ORDER_ID' });
    const latest = await findLatestRefill(tx, orderId);
    const now = ctx.clock.now();
    const refusal = refillRefusal(
      {
        ...order,
        lastRefillAt: latest ? latest.createdAt : null,
        hasOpenRefill: latest ? isOpenRefill(latest.status) : false,
      },
      now,
    );
    if (refusal) return fail(refusal);
    const refillId = await insertRefill(tx, { orderId, userId, now });
    return refillId === null ? fail({ code: 'REFILL_TOO_SOON' }) : ok(refillId);
  });
}

/** `refill` with `order`: resolves to the new refill's id. */
export function requestRefill(
  ctx: Context,
  userId: number,
  orderText: string | undefined,
): Promise<Result<number>> {
  const orderId = parseId(orderText);
  if (orderId === null) return Promise.resolve(fail({ code: 'INCORRECT_ORDER_ID' }));
  return requestOrderRefill(ctx, userId, orderId);
}

/** One entry per distinct requested id, in request order: the refill id or why there is none. */
export type RefillRequestEntry = {
  readonly key: string;
  readonly orderId: number | null;
  readonly refill: Result<number>;
};

/**
 * `refill` with `orders`: up to 100 ids, each decided on its own. The transactions run together,
 * so SQLite commits them as one group and PostgreSQL spreads them over its pool.
 */
export async function requestRefills(
  ctx: Context,
  userId: number,
  ordersText: string | undefined,
): Promise<Result<RefillRequestEntry[]>> {
  // The answer shows each order as a number: "7" and "07" are one order, answered once.
  const list = parseIdList(ordersText, true);
  if (!list.ok) return list;
  const entries = await Promise.all(
    list.value.map(async ({ key, id }): Promise<RefillRequestEntry> => ({
      key,
      orderId: id,
      refill: id === null ? fail({ code: 'INCORRECT_ORDER_ID' }) : await requestOrderRefill(ctx, userId, id),
    })),
  );
  return ok(entries);
}
