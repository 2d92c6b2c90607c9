import { foldOrderDayChanges } from '../../store/order-day-totals.js';
import type { Context } from '../context.js';

/** The day totals' appended changes, folded so the dashboard's two weeks stay a few dozen rows. */
export function foldOrderDayTotals(ctx: Context): Promise<number> {
  return foldOrderDayChanges(ctx.db);
}
