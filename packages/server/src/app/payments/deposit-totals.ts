import { DAY_MS } from '../../store/admin-stats.js';
import { type DepositDayTotal, depositDayTotals } from '../../store/deposit-stats.js';
import type { Context } from '../context.js';

/** How many days back the dashboard's deposit totals go (today included). */
export const DEPOSIT_TOTAL_DAYS = 14;

export interface DepositTotalsView {
  readonly days: number;
  readonly totals: readonly (Omit<DepositDayTotal, 'day'> & { readonly date: string })[];
}

/** Paid deposits per method per day over the last 14 UTC days, newest day first. */
export async function readDepositTotals(ctx: Context): Promise<DepositTotalsView> {
  const today = Math.floor(ctx.clock.now() / DAY_MS);
  const first = today - DEPOSIT_TOTAL_DAYS + 1;
  const rows = await depositDayTotals(ctx.db, first * DAY_MS);
  return {
    days: DEPOSIT_TOTAL_DAYS,
    totals: rows.map(({ day, ...rest }) => ({
      ...rest,
      date: new Date(day * DAY_MS).toISOString().slice(0, 10),
    })),
  };
}
