import { type Queryable, sql } from './database.js';

const selectSettings = sql('SELECT key, value FROM settings');
const upsertSettingSql = sql(
  `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
   ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
);

export async function readSettings(q: Queryable): Promise<Map<string, string>> {
  const rows = await q.all<{ key: string; value: string }>(selectSettings);
  return new Map(rows.map((row) => [row.key, row.value]));
}

export async function upsertSetting(q: Queryable, key: string, value: string, now: number): Promise<void> {
  await q.run(upsertSettingSql, [key, value, now]);
}

const deleteSettingSql = sql('DELETE FROM settings WHERE key = ?');

export async function deleteSetting(q: Queryable, key: string): Promise<void> {
  await q.run(deleteSettingSql, [key]);
}
