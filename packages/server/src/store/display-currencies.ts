import type { ExchangeRate } from '../domain/currency.js';
import { type Queryable, sql } from './database.js';

/** A currency customers may show their money in, with its rate to the panel's currency. */
export interface DisplayCurrencyRecord {
  readonly currency: string;
  readonly rate: ExchangeRate;
}

const selectDisplaySql = sql(
  'SELECT currency, rate FROM exchange_rates WHERE base = ? AND display = 1 ORDER BY currency',
);
const selectDisplayFlagsSql = sql('SELECT currency FROM exchange_rates WHERE base = ? AND display = 1');
const updateDisplaySql = sql('UPDATE exchange_rates SET display = ? WHERE currency = ? AND base = ?');
const selectUserChoiceSql = sql('SELECT display_currency FROM users WHERE id = ?');
const updateUserChoiceSql = sql('UPDATE users SET display_currency = ? WHERE id = ?');

/** The currencies enabled for display that have a rate to this panel currency, by code. */
export async function listDisplayCurrencies(q: Queryable, base: string): Promise<DisplayCurrencyRecord[]> {
  return q.all<DisplayCurrencyRecord>(selectDisplaySql, [base]);
}

/** The codes enabled for display (for the admin's table). */
export async function listDisplayCodes(q: Queryable, base: string): Promise<Set<string>> {
  return new Set((await q.all<{ currency: string }>(selectDisplayFlagsSql, [base])).map((r) => r.currency));
}

/** Enables or disables a currency for display; false when it has no rate to this panel currency. */
export async function setDisplayFlag(
  q: Queryable,
  input: { currency: string; base: string; enabled: boolean },
): Promise<boolean> {
  return (await q.run(updateDisplaySql, [input.enabled ? 1 : 0, input.currency, input.base])) > 0;
}

/** The display currency a user chose (null: none), or undefined when there is no such user. */
export async function findUserDisplayCurrency(
  q: Queryable,
  userId: number,
): Promise<string | null | undefined> {
  const row = await q.get<{ display_currency: string | null }>(selectUserChoiceSql, [userId]);
  return row === undefined ? undefined : row.display_currency;
}

/** Saves (or with null, forgets) a user's display currency; false when there is no such user. */
export async function setUserDisplayCurrency(
  q: Queryable,
  userId: number,
  currency: string | null,
): Promise<boolean> {
  return (await q.run(updateUserChoiceSql, [currency, userId])) > 0;
}
