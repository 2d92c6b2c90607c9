import type { Keyset } from '../../app/keyset.js';
import { type Result, ok } from '../../domain/errors.js';

export const DEFAULT_LIMIT = 50;

/**
 * Cursors are opaque to clients: base64url of where the next page starts (`b` an id to stay below, in
 * lists that are newest first; `a` an id to stay above, in lists by id). Never an offset.
 */
type Position = { readonly b: number } | { readonly a: number };

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a cursor names, or null when it is not one this server made for this kind of list. */
export function decodeCursor(cursor: string | undefined, kind: 'a' | 'b'): Position | undefined | null {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return null;
    const [key, id] = Object.entries(value)[0] ?? [];
    if (key !== kind || Object.keys(value).length !== 1) return null;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return null;
    return key === 'a' ? { a: id } : { b: id };
  } catch {
    return null;
  }
}

export interface Page<T> {
  readonly data: T[];
  readonly next_cursor: string | null;
}

/**
 * A newest-first list read as a keyset: one row more than asked tells whether a next page exists.
 * `read` gets the keyset to pass to the use case.
 */
export async function newestFirstPage<T extends { id: number }>(
  position: Position | undefined,
  limit: number,
  read: (keyset: Keyset) => Promise<Result<readonly T[]>>,
): Promise<Result<Page<T>>> {
  const beforeId = position !== undefined && 'b' in position ? position.b : undefined;
  const rows = await read({ beforeId, limit: limit + 1 });
  if (!rows.ok) return rows;
  const data = rows.value.slice(0, limit);
  const last = data.at(-1);
  return ok({ data, next_cursor: rows.value.length > limit && last ? encodeCursor({ b: last.id }) : null });
}

/** A short list the use case answers whole (services, categories, providers), paged by id ascending. */
export function byIdPage<T extends { id: number }>(
  items: readonly T[],
  position: Position | undefined,
  limit: number,
): Page<T> {
  const afterId = position !== undefined && 'a' in position ? position.a : 0;
  const rest = items.filter((item) => item.id > afterId).sort((x, y) => x.id - y.id);
  const data = rest.slice(0, limit);
  const last = data.at(-1);
  return { data, next_cursor: rest.length > limit && last ? encodeCursor({ a: last.id }) : null };
}
