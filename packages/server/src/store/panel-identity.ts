import { randomBytes } from 'node:crypto';
import { type Queryable, sql } from './database.js';

const INSTANCE_KEY = 'instance_id';
const insertSql = sql(
  'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
);
const selectSql = sql('SELECT value FROM settings WHERE key = ?');

/**
 * This panel's own random id, made once and kept in `settings`. It prefixes the `request_id` of
 * every order sent upstream, so a panel restored from scratch, or a second panel on the same
 * provider account, can never collide with the keys of another.
 */
export async function panelInstanceId(q: Queryable, now: number): Promise<string> {
  const known = await q.get<{ value: string }>(selectSql, [INSTANCE_KEY]);
  if (known) return known.value;
  // First use: whoever inserts first wins; everyone reads the winner's id.
  await q.run(insertSql, [INSTANCE_KEY, randomBytes(8).toString('hex'), now]);
  const row = await q.get<{ value: string }>(selectSql, [INSTANCE_KEY]);
  if (!row) throw new Error('the panel instance id could not be stored');
  return row.value;
}
