import { formatMoney } from '../../domain/money.js';
import { formatMarkupPercent } from '../../domain/markup.js';
import { listProviders as listProviderRows } from '../../store/providers.js';
import type { Context } from '../context.js';
import { maskApiKey } from './provider-connection.js';

export interface ProviderView {
  readonly id: number;
  readonly name: string;
  readonly url: string;
  /** First four characters and "…": the key itself is never shown. */
  readonly key: string;
  readonly currency: string | null;
  readonly balance: string | null;
  readonly balanceAt: string | null;
  /** The markup of the last import, which sync applies to rate changes. */
  readonly markup: string;
  readonly fixedMarkup: string;
}

export async function listProviders(ctx: Context): Promise<ProviderView[]> {
  const rows = await listProviderRows(ctx.db);
  return rows.map((row) => ({
    id: Number(row.id),
    name: row.name,
    url: row.url,
    key: maskApiKey(row.api_key),
    currency: row.currency,
    balance: row.last_balance === null ? null : formatMoney(row.last_balance),
    balanceAt: row.last_balance_at === null ? null : new Date(Number(row.last_balance_at)).toISOString(),
    markup: formatMarkupPercent(row.markup_percent),
    fixedMarkup: formatMoney(row.fixed_markup),
  }));
}
