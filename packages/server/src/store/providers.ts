import { type ProviderPolicy, readRefusalPolicy } from '../domain/fulfilment.js';
import type { Markup } from '../domain/markup.js';
import { isSet, numberOrNull } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** An upstream panel: how to reach it, what it last said, and how the dispatcher treats it. */
export interface Provider extends ProviderPolicy {
  readonly id: number;
  readonly name: string;
  readonly url: string;
  /** Sent to the provider only: never logged, never shown whole. */
  readonly apiKey: string;
  readonly currency: string | null;
  readonly lastBalance: bigint | null;
  readonly lastBalanceAt: number | null;
  /** The markup of the last import, which sync applies when the provider's rate changes. */
  readonly markup: Markup;
  /** Nothing is sent to it before this (out of balance, or down). */
  readonly pausedUntil: number | null;
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface ProviderRow {
  id: bigint;
  name: string;
  url: string;
  api_key: string;
  currency: string | null;
  last_balance: bigint | null;
  last_balance_at: bigint | null;
  /** Hundredths of a percent. */
  markup_percent: bigint;
  fixed_markup: bigint;
  honours_request_id: bigint;
  on_refusal: string;
  paused_until: bigint | null;
  last_error: string | null;
  last_error_at: bigint | null;
  created_at: bigint;
  updated_at: bigint;
}

function toProvider(row: ProviderRow): Provider {
  return {
    id: Number(row.id),
    name: row.name,
    url: row.url,
    apiKey: row.api_key,
    currency: row.currency,
    lastBalance: row.last_balance,
    lastBalanceAt: numberOrNull(row.last_balance_at),
    markup: { percentHundredths: row.markup_percent, fixed: row.fixed_markup },
    honoursRequestId: isSet(row.honours_request_id),
    onRefusal: readRefusalPolicy(row.on_refusal),
    pausedUntil: numberOrNull(row.paused_until),
    lastError: row.last_error,
    lastErrorAt: numberOrNull(row.last_error_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface NewProvider {
  readonly name: string;
  readonly url: string;
  readonly apiKey: string;
  readonly currency: string | null;
  readonly balance: bigint | null;
  /** Default: no request_id replay trusted, refusals cancel (see DEFAULT_PROVIDER_POLICY). */
  readonly policy?: ProviderPolicy;
  readonly now: number;
}

const PROVIDER_COLUMNS = `id, name, url, api_key, currency, last_balance, last_balance_at, markup_percent,
  fixed_markup, honours_request_id, on_refusal, paused_until, last_error, last_error_at, created_at, updated_at`;

const insertProviderSql = sql(
  `INSERT INTO providers (name, url, api_key, currency, last_balance, last_balance_at, honours_request_id,
     on_refusal, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
);
const selectProvider = sql(`SELECT ${PROVIDER_COLUMNS} FROM providers WHERE id = ?`);
const selectProviderIdByName = sql('SELECT id FROM providers WHERE name = ?');
const selectProviders = sql(`SELECT ${PROVIDER_COLUMNS} FROM providers ORDER BY id`);
const updatePolicySql = sql(
  'UPDATE providers SET honours_request_id = ?, on_refusal = ?, paused_until = ?, updated_at = ? WHERE id = ?',
);
const updateBalanceSql = sql(
  'UPDATE providers SET currency = ?, last_balance = ?, last_balance_at = ?, updated_at = ? WHERE id = ?',
);
const updateMarkupSql = sql(
  'UPDATE providers SET markup_percent = ?, fixed_markup = ?, updated_at = ? WHERE id = ?',
);

/** Resolves to the new provider's id, or null when the name is taken. */
export async function insertProvider(q: Queryable, provider: NewProvider): Promise<number | null> {
  const row = await q.get<{ id: bigint }>(insertProviderSql, [
    provider.name,
    provider.url,
    provider.apiKey,
    provider.currency,
    provider.balance,
    provider.balance === null ? null : provider.now,
    provider.policy?.honoursRequestId ? 1 : 0,
    provider.policy?.onRefusal ?? 'cancel',
    provider.now,
    provider.now,
  ]);
  return row ? Number(row.id) : null;
}

const selectProviderKeys = sql('SELECT id, api_key FROM providers ORDER BY id');
const replaceProviderKey = sql('UPDATE providers SET api_key = ? WHERE id = ? AND api_key = ?');

/** Every provider's stored key (sealed or plain), for re-encryption. */
export async function listProviderStoredKeys(q: Queryable): Promise<{ id: number; storedKey: string }[]> {
  const rows = await q.all<{ id: bigint; api_key: string }>(selectProviderKeys);
  return rows.map((row) => ({ id: Number(row.id), storedKey: row.api_key }));
}

/** Replaces a stored key if it is still `expected`; resolves to whether it did. */
export async function replaceProviderStoredKey(
  q: Queryable,
  change: { id: number; expected: string; storedKey: string },
): Promise<boolean> {
  return (await q.run(replaceProviderKey, [change.storedKey, change.id, change.expected])) === 1;
}

export async function findProvider(q: Queryable, id: number): Promise<Provider | undefined> {
  const row = await q.get<ProviderRow>(selectProvider, [id]);
  return row && toProvider(row);
}

export async function providerNameTaken(q: Queryable, name: string): Promise<boolean> {
  return (await q.get<{ id: bigint }>(selectProviderIdByName, [name])) !== undefined;
}

export async function listProviders(q: Queryable): Promise<Provider[]> {
  return (await q.all<ProviderRow>(selectProviders)).map(toProvider);
}

export async function updateProviderPolicy(
  q: Queryable,
  id: number,
  policy: ProviderPolicy & { readonly pausedUntil: number | null },
  now: number,
): Promise<void> {
  await q.run(updatePolicySql, [
    policy.honoursRequestId ? 1 : 0,
    policy.onRefusal,
    policy.pausedUntil,
    now,
    id,
  ]);
}

export async function recordProviderBalance(
  q: Queryable,
  id: number,
  balance: { currency: string; amount: bigint; now: number },
): Promise<void> {
  await q.run(updateBalanceSql, [balance.currency, balance.amount, balance.now, balance.now, id]);
}

/** Remembers the markup of an import, for sync to apply to later rate changes. */
export async function recordProviderMarkup(
  q: Queryable,
  id: number,
  markup: Markup & { now: number },
): Promise<void> {
  await q.run(updateMarkupSql, [markup.percentHundredths, markup.fixed, markup.now, id]);
}
