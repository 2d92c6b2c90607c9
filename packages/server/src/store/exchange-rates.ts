import type { ExchangeRate } from '../domain/currency.js';
import { type Queryable, sql, sqlByDialect } from './database.js';

/** Where a rate came from: set by the admin (CLI or web) or read from the rate feed. */
export type RateSource = 'admin' | 'feed';

/** One currency's rate to the panel's currency (`base`), in 10⁻¹⁰ panel units per unit. */
export interface ExchangeRateRecord {
  readonly currency: string;
  readonly base: string;
  readonly rate: ExchangeRate;
  readonly source: RateSource;
  readonly updatedAt: number;
}

/** A change of a rate, as kept: the rate before (null for a first rate) and after. */
export interface RateChange {
  readonly id: number;
  readonly currency: string;
  readonly base: string;
  readonly rate: ExchangeRate;
  readonly previousRate: ExchangeRate | null;
  readonly source: RateSource;
  readonly changedAt: number;
}

interface RateRow {
  currency: string;
  base: string;
  rate: bigint;
  source: string;
  updated_at: bigint;
}

interface ChangeRow {
  id: bigint;
  currency: string;
  base: string;
  rate: bigint;
  previous_rate: bigint | null;
  source: string;
  changed_at: bigint;
}

const readSource = (stored: string): RateSource => {
  if (stored === 'admin' || stored === 'feed') return stored;
  throw new Error(`unknown exchange rate source ${JSON.stringify(stored)}`);
};

function toRate(row: RateRow): ExchangeRateRecord {
  return {
    currency: row.currency,
    base: row.base,
    rate: row.rate,
    source: readSource(row.source),
    updatedAt: Number(row.updated_at),
  };
}

function toChange(row: ChangeRow): RateChange {
  return {
    id: Number(row.id),
    currency: row.currency,
    base: row.base,
    rate: row.rate,
    previousRate: row.previous_rate,
    source: readSource(row.source),
    changedAt: Number(row.changed_at),
  };
}

const selectRatesSql = sql(
  'SELECT currency, base, rate, source, updated_at FROM exchange_rates WHERE base = ? ORDER BY currency',
);
const lockRateSql = sqlByDialect({
  sqlite: 'SELECT currency, base, rate, source, updated_at FROM exchange_rates WHERE currency = ?',
  postgres:
    'SELECT currency, base, rate, source, updated_at FROM exchange_rates WHERE currency = ? FOR UPDATE',
});
// Only a different rate (or base) is written: the history holds changes, not readings.
const upsertRateSql = sql(
  `INSERT INTO exchange_rates (currency, base, rate, source, updated_at) VALUES (?, ?, ?, ?, ?)
   ON CONFLICT (currency) DO UPDATE SET base = excluded.base, rate = excluded.rate, source = excluded.source,
     updated_at = excluded.updated_at
   WHERE exchange_rates.rate <> excluded.rate OR exchange_rates.base <> excluded.base`,
);
const insertChangeSql = sql(
  `INSERT INTO exchange_rate_history (currency, base, rate, previous_rate, source, changed_at)
   VALUES (?, ?, ?, ?, ?, ?)`,
);
const selectHistorySql = sql(
  `SELECT id, currency, base, rate, previous_rate, source, changed_at FROM exchange_rate_history
   ORDER BY changed_at DESC, id DESC LIMIT ?`,
);

/** The rates to this panel currency, by currency. */
export async function listExchangeRates(q: Queryable, base: string): Promise<ExchangeRateRecord[]> {
  return (await q.all<RateRow>(selectRatesSql, [base])).map(toRate);
}

/**
 * Sets a currency's rate, in the caller's transaction, and records the change with its time; the
 * row is read locked (PostgreSQL) so the recorded previous rate is the one replaced. A rate equal to
 * the current one changes nothing and records nothing: returns false.
 */
export async function setExchangeRate(
  q: Queryable,
  input: { currency: string; base: string; rate: ExchangeRate; source: RateSource; now: number },
): Promise<boolean> {
  const current = await q.get<RateRow>(lockRateSql, [input.currency]);
  const previous = current && current.base === input.base ? current.rate : null;
  const args = [input.currency, input.base, input.rate, input.source, input.now];
  if ((await q.run(upsertRateSql, args)) === 0) return false;
  await q.run(insertChangeSql, [input.currency, input.base, input.rate, previous, input.source, input.now]);
  return true;
}

/** The latest rate changes, newest first. */
export async function listRateChanges(q: Queryable, limit: number): Promise<RateChange[]> {
  return (await q.all<ChangeRow>(selectHistorySql, [limit])).map(toChange);
}
