import { failureMessage } from '../../domain/errors.js';
import { REFILL_STATUSES, type RefillStatus, refillStatusLabel } from '../../domain/order-status.js';
import {
  type RefillStatusEntry,
  getRefillStatus,
  getRefillStatuses,
} from '../../app/refills/get-refill-statuses.js';
import { requestRefill, requestRefills } from '../../app/refills/request-refill.js';
import type { ActionHandler, OwnerReadHandler } from './action-handler.js';
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

const REFILL_NOT_FOUND_JSON = JSON.stringify(REFILL_NOT_FOUND);
/** Each refill status's label as JSON text, built once. */
const REFILL_LABEL_JSON = new Map<RefillStatus, string>(
  REFILL_STATUSES.map((status) => [status, JSON.stringify(refillStatusLabel(status))]),
);

/**
 * The `refills` answer, byte for byte `JSON.stringify` of `[{refill, status}, …]` (the id as a
 * number where it is one, else the text sent; the label or the not-found error), built as text:
 * up to 100 entries a request, the labels and the error made once.
 */
export function refillStatusesJson(entries: readonly RefillStatusEntry[]): string {
  let body = '[';
  for (let i = 0; i < entries.length; i++) {
    const { key, refillId, status } = entries[i]!;
    const refill = refillId === null ? JSON.stringify(key) : String(refillId);
    const label = status === null ? REFILL_NOT_FOUND_JSON : (REFILL_LABEL_JSON.get(status) ?? '');
    body += `${i > 0 ? ',' : ''}{"refill":${refill},"status":${label}}`;
  }
  return `${body}]`;
}

/** `{"status":"Completed"}`, or `[{"refill":1,"status":"Completed"}, …]` for `refills`. */
export const refillStatus: OwnerReadHandler = async (panel, caller, params) => {
  const ctx = panel.contextFor(caller);
  if (params.refills !== undefined) {
    const result = await getRefillStatuses(ctx, caller.userId, params.refills);
    if (!result.ok) return errorAnswer(result.failure);
    return { status: 200, body: refillStatusesJson(result.value) };
  }
  const result = await getRefillStatus(ctx, caller.userId, params.refill);
  return result.ok ? answer({ status: refillStatusLabel(result.value) }) : errorAnswer(result.failure);
};
