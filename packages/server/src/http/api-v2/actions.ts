import { type Failure, type Result, failureMessage } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import { getOrderStatus, getOrderStatuses } from '../../app/orders/get-order-statuses.js';
import { placeOrder } from '../../app/orders/place-order.js';
import type { Context } from '../../app/context.js';
import type { OrderStatusView } from '../../app/orders/order-status-view.js';
import type { Panel } from '../../panel.js';
import type { Params } from '../request-params.js';
import type { ActionHandler, OwnerReadHandler } from './action-handler.js';
import { type Answer, answer, errorAnswer } from './answer.js';
import { cancel } from './cancel-actions.js';
import { orderStatusJson } from './present-order-status.js';
import { refill, refillStatus } from './refill-actions.js';

const INCORRECT_ORDER_ID: Failure = { code: 'INCORRECT_ORDER_ID' };
const INCORRECT_ORDER_ID_JSON = JSON.stringify({ error: failureMessage(INCORRECT_ORDER_ID) });

/** The catalogue as this user sees it; `catalogVersion`: as read with the key, when it was. */
export async function servicesAnswer(panel: Panel, userId: number, catalogVersion?: bigint): Promise<Answer> {
  return { status: 200, body: await panel.serviceList.answerFor(panel.ctx.db, userId, catalogVersion) };
}

const servicesOfOwner: OwnerReadHandler = (panel, caller) => servicesAnswer(panel, caller.userId);

const services: ActionHandler = (panel, caller) =>
  servicesAnswer(panel, caller.userId, caller.catalogVersion);

const add: ActionHandler = async (panel, caller, params, headers) => {
  const result = await placeOrder(panel.contextFor(caller), {
    userId: caller.userId,
    params,
    requestKey: params.request_id ?? headers.idempotencyKey,
  });
  return result.ok ? answer(result.value) : errorAnswer(result.failure);
};

/** `status` with `orders`: an object keyed by id, in request order. */
async function manyStatuses(ctx: Context, userId: number, ordersText: string): Promise<Answer> {
  const result = await getOrderStatuses(ctx, userId, ordersText);
  if (!result.ok) return errorAnswer(result.failure);
  // Built by hand: a JS object would reorder integer-like keys, and the answer follows the request.
  let body = '{';
  for (const [i, { key, view }] of result.value.entries()) {
    if (i > 0) body += ',';
    body += `${JSON.stringify(key)}:${view ? orderStatusJson(view, ctx.currency) : INCORRECT_ORDER_ID_JSON}`;
  }
  return { status: 200, body: `${body}}` };
}

function statusAnswer(result: Result<OrderStatusView>, currency: string): Answer {
  return result.ok
    ? { status: 200, body: orderStatusJson(result.value, currency) }
    : errorAnswer(result.failure);
}

/** `status` with `orders`. */
const statusOfMany: OwnerReadHandler = (panel, caller, params) =>
  manyStatuses(panel.contextFor(caller), caller.userId, params.orders ?? '');

const status: ActionHandler = (panel, caller, params) => {
  if (params.orders !== undefined) return statusOfMany(panel, caller, params);
  const ctx = panel.contextFor(caller);
  const result = getOrderStatus(ctx, caller.userId, params.order, caller.order);
  return result instanceof Promise
    ? result.then((read) => statusAnswer(read, ctx.currency))
    : statusAnswer(result, ctx.currency);
};

const balance: ActionHandler = (panel, caller) =>
  answer({ balance: formatMoney(caller.balance), currency: panel.ctx.currency });

export const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  services,
  add,
  status,
  refill,
  refill_status: refillStatus,
  cancel,
  balance,
};

/**
 * The reads answered for a key owner held by ApiKeyOwnerCache (PostgreSQL): `services`, `status` of
 * many orders and `refill_status`, which need nothing of the caller but their user id. Not `status`
 * of one order (its key and order are one read already), nor anything that moves money or shows the
 * balance. Null: the key is read.
 */
export function ownerRead(name: string, params: Params): OwnerReadHandler | null {
  if (name === 'services') return servicesOfOwner;
  if (name === 'status') return params.orders === undefined ? null : statusOfMany;
  if (name === 'refill_status') return refillStatus;
  return null;
}
