import { foldLedgerKindTotals as foldKindTotals } from '../../store/ledger-kind-totals.js';
import type { Context } from '../context.js';

/** The ledger's kept sums by kind brought up to date, so a metrics scrape reads a few rows. */
export function foldLedgerKindTotals(ctx: Context): Promise<number> {
  return foldKindTotals(ctx.db);
}
