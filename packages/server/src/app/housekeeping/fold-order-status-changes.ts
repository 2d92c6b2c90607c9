import { foldOrderStatusChanges } from '../../store/order-status-counts.js';
import type { Context } from '../context.js';

/** The order counts' appended changes, folded so the dashboard's read stays a few rows. */
export function foldOrderStatusCounts(ctx: Context): Promise<number> {
  return foldOrderStatusChanges(ctx.db);
}
