import { type Queryable, sql } from './database.js';

/** A category as the admin's catalogue lists it. */
export interface Category {
  readonly id: number;
  readonly name: string;
  readonly sort: number;
  /** How many services it holds, enabled or not. */
  readonly services: number;
}

const selectCategoryId = sql('SELECT id FROM categories WHERE name = ?');
const insertCategory = sql(
  'INSERT INTO categories (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING id',
);
const setCategorySortSql = sql('UPDATE categories SET sort = ? WHERE id = ?');
const selectCategories = sql(
  `SELECT c.id, c.name, c.sort, (SELECT COUNT(*) FROM services s WHERE s.category_id = c.id) AS services
   FROM categories c ORDER BY c.sort, c.id`,
);

/** The category's id, created on first use: services name their category, they do not pick it from a list. */
export async function findOrCreateCategory(q: Queryable, name: string, now: number): Promise<number> {
  const inserted = await q.get<{ id: bigint }>(insertCategory, [name, now]);
  if (inserted) return Number(inserted.id);
  const existing = await q.get<{ id: bigint }>(selectCategoryId, [name]);
  if (!existing) throw new Error(`category ${name} vanished`);
  return Number(existing.id);
}

/** Resolves to false when there is no such category. */
export async function setCategorySort(q: Queryable, id: number, sort: number): Promise<boolean> {
  return (await q.run(setCategorySortSql, [sort, id])) === 1;
}

/** Every category in display order. */
export async function listCategories(q: Queryable): Promise<Category[]> {
  const rows = await q.all<{ id: bigint; name: string; sort: bigint; services: bigint }>(selectCategories);
  return rows.map((row) => ({
    id: Number(row.id),
    name: row.name,
    sort: Number(row.sort),
    services: Number(row.services),
  }));
}
