import { dripfeedProgress } from '../../domain/dripfeed.js';
import { failureMessage } from '../../domain/errors.js';
import { isFinalOrderStatus } from '../../domain/order-status.js';
import { findCancelRequest } from '../../store/cancel-requests.js';
import type { Queryable } from '../../store/database.js';
import { findDripfeedRuns } from '../../store/dripfeed.js';
import { findOrder, lockOrderRow } from '../../store/orders.js';
import type { Context } from '../context.js';
import { changeOrderStatus } from './change-order-status.js';

/**
 * Recomputes a drip-feed parent from its runs, in the caller's transaction: status and remains
 * follow the runs, and once every run that will exist has finished the parent takes its final
 * status and its refund (Partial: charge × remains / total, rounded down; Canceled: the rest of
 * the charge), posted once. A canceled parent (it has a cancel request) expects no further runs.
 * Call it after any of its runs changes and after runs are created; anything else is a no-op.
 *
 * A parent's settlement is a status change of an order, so it lives with `changeOrderStatus`:
 * cancels and admin moves here, and the drip-feed, dispatch and sync jobs, all reach it from above.
 */
export async function settleDripfeedParent(tx: Queryable, ctx: Context, parentId: number): Promise<void> {
  await lockOrderRow(tx, parentId);
  const parent = await findOrder(tx, parentId);
  if (!parent || parent.kind !== 'dripfeed') return;
  if (isFinalOrderStatus(parent.status)) return;
  const runs = await findDripfeedRuns(tx, parentId);
  const progress = dripfeedProgress(
    {
      quantity: parent.quantity,
      runs: parent.runs ?? 0,
      stopped: (await findCancelRequest(tx, parentId)) !== undefined,
    },
    runs,
  );
  if (progress.status === parent.status && progress.remains === parent.remains) return;
  const moved = await changeOrderStatus(tx, ctx, parent, { to: progress.status, remains: progress.remains });
  // The parent is locked and its status only ever moves forward from here: a refusal is a fault.
  if (!moved.ok) throw new Error(`drip-feed #${parentId}: ${failureMessage(moved.failure)}`);
}
