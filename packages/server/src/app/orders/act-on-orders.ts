import { type Result, failureMessage, ok } from '../../domain/errors.js';
import { requestRefills } from '../refills/request-refill.js';
import type { Context } from '../context.js';
import { cancelOrders } from './cancel-orders.js';

export type BulkOrderAction = 'refill' | 'cancel';

/** What the action did for one order: accepted, or refused with the API v2 reason. */
export interface BulkOrderResult {
  readonly order: number;
  readonly ok: boolean;
  readonly message: string;
}

/**
 * The Orders page's bulk Refill or Cancel: the `refill` / `cancel` use cases of API v2 for up to 100
 * of the customer's orders, each decided on its own under the same rules, one result per order.
 */
export async function actOnOrders(
  ctx: Context,
  input: { userId: number; action: BulkOrderAction; orders: readonly number[] },
): Promise<Result<BulkOrderResult[]>> {
  const list = input.orders.join(',');
  if (input.action === 'refill') {
    const refills = await requestRefills(ctx, input.userId, list);
    if (!refills.ok) return refills;
    return ok(
      refills.value.map((entry) => ({
        order: entry.orderId ?? 0,
        ok: entry.refill.ok,
        message: entry.refill.ok
          ? `Refill #${entry.refill.value} requested`
          : failureMessage(entry.refill.failure),
      })),
    );
  }
  const cancels = await cancelOrders(ctx, { userId: input.userId, orders: list });
  if (!cancels.ok) return cancels;
  return ok(
    cancels.value.map((entry) => ({
      order: entry.id ?? 0,
      ok: entry.failure === null,
      message: entry.failure === null ? 'Cancel accepted' : failureMessage(entry.failure),
    })),
  );
}
