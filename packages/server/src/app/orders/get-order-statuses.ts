import { type Result, fail, ok } from '../../domain/errors.js';
import { distinctIds, parseId, parseIdList } from '../../domain/id-list.js';
import {
  type ChildOrderRow,
  type OrderStatusRow,
  findChildOrders,
  findOwnOrderStatus,
  findOwnOrderStatuses,
} from '../../store/orders.js';
import type { Context } from '../context.js';
import { type OrderStatusView, toStatusView } from './order-status-view.js';

const hasChildren = (row: OrderStatusRow) => row.kind !== 'order';

function childrenByParent(children: readonly ChildOrderRow[]): Map<number, ChildOrderRow[]> {
  const byParent = new Map<number, ChildOrderRow[]>();
  for (const child of children) {
    const parentId = Number(child.parent_id);
    const list = byParent.get(parentId);
    if (list) list.push(child);
    else byParent.set(parentId, [child]);
  }
  return byParent;
}

/** `status` with `order`: another user's order is indistinguishable from one that does not exist. */
export async function getOrderStatus(
  ctx: Context,
  userId: number,
  orderText: string | undefined,
  /** The row of `orderText` already read with the caller's key (null: not theirs), so it is not read twice. */
  prefetched?: OrderStatusRow | null,
): Promise<Result<OrderStatusView>> {
  const id = parseId(orderText);
  let row: OrderStatusRow | undefined;
  if (prefetched !== undefined) row = prefetched ?? undefined;
  else if (id !== null) row = await findOwnOrderStatus(ctx.db, userId, id);
  if (!row) return fail({ code: 'INCORRECT_ORDER_ID' });
  const children = hasChildren(row) ? await findChildOrders(ctx.db, [Number(row.id)]) : [];
  return ok(toStatusView(row, children));
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
  const ids = distinctIds(list.value).flatMap(({ id }) => (id === null ? [] : [id]));
  const rows = await findOwnOrderStatuses(ctx.db, userId, ids);
  const parents = rows.filter(hasChildren).map((row) => Number(row.id));
  const children = childrenByParent(await findChildOrders(ctx.db, parents));
  const byId = new Map(rows.map((row) => [Number(row.id), row]));
  return ok(
    list.value.map(({ key, id }) => {
      const row = id === null ? undefined : byId.get(id);
      return { key, view: row ? toStatusView(row, children.get(id!) ?? []) : null };
    }),
  );
}
