import { formatMoney } from '../../domain/money.js';
import type { RefusalPolicy } from '../../domain/fulfilment.js';
import { formatMarkupPercent } from '../../domain/markup.js';
import { listProviders as listProviderRecords } from '../../store/providers.js';
import { type Context, secretsOf } from '../context.js';
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
  readonly onRefusal: RefusalPolicy;
  readonly pausedUntil: string | null;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The masked key; a key this process cannot open (no SMMKIT_SECRET_KEY) shows as encrypted, never fails the list. */
function maskStoredKey(ctx: Context, stored: string): string {
  try {
    return maskApiKey(secretsOf(ctx).open(stored));
  } catch {
    return '(encrypted)';
  }
}

export async function listProviders(ctx: Context): Promise<ProviderView[]> {
  const providers = await listProviderRecords(ctx.db);
  return providers.map((provider) => ({
    id: provider.id,
    name: provider.name,
    url: provider.url,
    key: maskStoredKey(ctx, provider.apiKey),
    currency: provider.currency,
    balance: provider.lastBalance === null ? null : formatMoney(provider.lastBalance),
    balanceAt: iso(provider.lastBalanceAt),
    markup: formatMarkupPercent(provider.markup.percentHundredths),
    fixedMarkup: formatMoney(provider.markup.fixed),
    honoursRequestId: provider.honoursRequestId,
    onRefusal: provider.onRefusal,
    pausedUntil: iso(provider.pausedUntil),
    lastError: provider.lastError,
    lastErrorAt: iso(provider.lastErrorAt),
  }));
}
