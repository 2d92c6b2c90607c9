import { randomBytes } from 'node:crypto';
import { type Queryable, sql } from './database.js';

const insertSql = sql(
  'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
);
const selectSql = sql('SELECT value FROM settings WHERE key = ?');

/**
 * A random secret of the panel's own (32 bytes, hex), made on first use and kept in `settings`, so
 * every serve process signs and checks with the same one. Whoever inserts first wins.
 */
export async function panelSecret(q: Queryable, key: string, now: number): Promise<string> {
  const known = await q.get<{ value: string }>(selectSql, [key]);
  if (known) return known.value;
  await q.run(insertSql, [key, randomBytes(32).toString('hex'), now]);
  const row = await q.get<{ value: string }>(selectSql, [key]);
  if (!row) throw new Error(`the panel secret ${key} could not be stored`);
  return row.value;
}
