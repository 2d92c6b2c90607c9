import { failureMessage } from '../../domain/errors.js';
import { cancelOrders } from '../../app/orders/cancel-orders.js';
import type { ActionHandler } from './action-handler.js';
import { answer, errorAnswer } from './answer.js';

/**
 * `cancel` with `orders` (or `order` alone): `[{"order":2,"cancel":1},{"order":9,"cancel":{"error":"…"}}]`,
 * one entry per distinct id in request order; an id that is not a number is echoed as sent.
 */
export const cancel: ActionHandler = async (panel, caller, params) => {
  const result = await cancelOrders(panel.contextFor(caller), {
    userId: caller.userId,
    orders: params.orders,
    order: params.order,
  });
  if (!result.ok) return errorAnswer(result.failure);
  return answer(
    result.value.map(({ key, id, failure }) => ({
      order: id ?? key,
      cancel: failure === null ? 1 : { error: failureMessage(failure) },
    })),
  );
};
