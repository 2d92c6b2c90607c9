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
  /** Dispatch policy (see README › Forwarding) and health: paused until, last error. */
  readonly honoursRequestId: boolean;
  readonly onRefusal: 'cancel' | 'review';
  readonly pausedUntil: string | null;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
}

const iso = (ms: bigint | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

export async function listProviders(ctx: Context): Promise<ProviderView[]> {
  const rows = await listProviderRows(ctx.db);
  return rows.map((row) => ({
    id: Number(row.id),
    name: row.name,
    url: row.url,
    key: maskApiKey(row.api_key),
    currency: row.currency,
    balance: row.last_balance === null ? null : formatMoney(row.last_balance),
    balanceAt: iso(row.last_balance_at),
    markup: formatMarkupPercent(row.markup_percent),
    fixedMarkup: formatMoney(row.fixed_markup),
    honoursRequestId: row.honours_request_id === 1n,
    onRefusal: row.on_refusal,
    pausedUntil: iso(row.paused_until),
    lastError: row.last_error,
    lastErrorAt: iso(row.last_error_at),
  }));
}
