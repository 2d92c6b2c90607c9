import { type Result, fail, ok } from '../../domain/errors.js';
import { distinctIds, parseId, parseIdList, validIds } from '../../domain/id-list.js';
import {
  type ChildCharge,
  type OrderStatusSnapshot,
  findChildCharges,
  findOwnOrderStatus,
  findOwnOrderStatuses,
} from '../../store/orders.js';
import type { Context } from '../context.js';
import { type OrderStatusView, toStatusView } from './order-status-view.js';

const hasChildren = (order: OrderStatusSnapshot) => order.kind !== 'order';

function childrenByParent(children: readonly ChildCharge[]): Map<number, ChildCharge[]> {
  const byParent = new Map<number, ChildCharge[]>();
  for (const child of children) {
    const list = byParent.get(child.parentId);
    if (list) list.push(child);
    else byParent.set(child.parentId, [child]);
  }
  return byParent;
}

/**
 * `status` with `order`: another user's order is indistinguishable from one that does not exist.
 * Synchronous when nothing more must be read (the order was read with the caller's key and has
 * no children): `status` of one order is the call scripts repeat most.
 */
export function getOrderStatus(
  ctx: Context,
  userId: number,
  orderText: string | undefined,
  /** The order of `orderText` already read with the caller's key (null: not theirs), so it is not read twice. */
  prefetched?: OrderStatusSnapshot | null,
): Result<OrderStatusView> | Promise<Result<OrderStatusView>> {
  if (prefetched !== undefined) return statusOf(ctx, prefetched ?? undefined);
  const id = parseId(orderText);
  if (id === null) return fail({ code: 'INCORRECT_ORDER_ID' });
  return findOwnOrderStatus(ctx.db, userId, id).then((order) => statusOf(ctx, order));
}

function statusOf(
  ctx: Context,
  order: OrderStatusSnapshot | undefined,
): Result<OrderStatusView> | Promise<Result<OrderStatusView>> {
  if (!order) return fail({ code: 'INCORRECT_ORDER_ID' });
  if (!hasChildren(order)) return ok(toStatusView(order, []));
  return findChildCharges(ctx.db, [order.id]).then((children) => ok(toStatusView(order, children)));
}

/** One entry per distinct requested id, in request order, keyed by the id as the client wrote it. */
export type OrderStatusEntry = { readonly key: string; readonly view: OrderStatusView | null };

/** `status` with `orders`: up to 100 ids, answered with two reads whatever their number. */
export async function getOrderStatuses(
  ctx: Context,
  userId: number,
  ordersText: string | undefined,
): Promise<Result<OrderStatusEntry[]>> {
  const list = parseIdList(ordersText);
  if (!list.ok) return list;
  // The answer is keyed by the text sent ("1" and "01" are two keys); each order is read once.
  const ids = validIds(distinctIds(list.value));
  const orders = await findOwnOrderStatuses(ctx.db, userId, ids);
  const parents = orders.filter(hasChildren).map((order) => order.id);
  const children = childrenByParent(await findChildCharges(ctx.db, parents));
  const byId = new Map(orders.map((order) => [order.id, order]));
  return ok(
    list.value.map(({ key, id }) => {
      const order = id === null ? undefined : byId.get(id);
      return { key, view: order ? toStatusView(order, children.get(order.id) ?? []) : null };
    }),
  );
}
