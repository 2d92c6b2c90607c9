import { failureMessage } from '../../domain/errors.js';
import { refillStatusLabel } from '../../domain/order-status.js';
import { getRefillStatus, getRefillStatuses } from '../../app/refills/get-refill-statuses.js';
import { requestRefill, requestRefills } from '../../app/refills/request-refill.js';
import type { ActionHandler } from './action-handler.js';
import { answer, errorAnswer } from './answer.js';

const REFILL_NOT_FOUND = { error: failureMessage({ code: 'REFILL_NOT_FOUND' }) };

/** The id as a number where it is one, else the text the client sent. */
const shownId = (key: string, id: number | null): number | string => id ?? key;

/** `{"refill":"1"}` (the single answer is a string), or `[{"order":1,"refill":1}, …]` for `orders`. */
export const refill: ActionHandler = async (panel, caller, params) => {
  const ctx = panel.contextFor(caller);
  if (params.orders !== undefined) {
    const result = await requestRefills(ctx, caller.userId, params.orders);
    if (!result.ok) return errorAnswer(result.failure);
    return answer(
      result.value.map(({ key, orderId, refill }) => ({
        order: shownId(key, orderId),
        refill: refill.ok ? refill.value : { error: failureMessage(refill.failure) },
      })),
    );
  }
  const result = await requestRefill(ctx, caller.userId, params.order);
  return result.ok ? answer({ refill: String(result.value) }) : errorAnswer(result.failure);
};

/** `{"status":"Completed"}`, or `[{"refill":1,"status":"Completed"}, …]` for `refills`. */
export const refillStatus: ActionHandler = async (panel, caller, params) => {
  const ctx = panel.contextFor(caller);
  if (params.refills !== undefined) {
    const result = await getRefillStatuses(ctx, caller.userId, params.refills);
    if (!result.ok) return errorAnswer(result.failure);
    return answer(
      result.value.map(({ key, refillId, status }) => ({
        refill: shownId(key, refillId),
        status: status === null ? REFILL_NOT_FOUND : refillStatusLabel(status),
      })),
    );
  }
  const result = await getRefillStatus(ctx, caller.userId, params.refill);
  return result.ok ? answer({ status: refillStatusLabel(result.value) }) : errorAnswer(result.failure);
};
