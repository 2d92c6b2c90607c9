import { type Queryable, sql } from './database.js';

/**
 * What forwarding learns about a provider's health: its last error, and a pause while our account
 * with it cannot work (out of balance, key or rate refused). The rest of a provider is
 * `providers.ts`'; the dispatcher only ever writes these columns.
 */
const pauseProviderSql = sql(
  'UPDATE providers SET paused_until = ?, last_error = ?, last_error_at = ?, updated_at = ? WHERE id = ?',
);
const recordProviderErrorSql = sql(
  'UPDATE providers SET last_error = ?, last_error_at = ?, updated_at = ? WHERE id = ?',
);

/** Stops sending to a provider until `until` (its balance ran out, or it is down). */
export async function pauseProvider(
  q: Queryable,
  pause: { id: number; until: number; error: string; now: number },
): Promise<void> {
  await q.run(pauseProviderSql, [pause.until, pause.error, pause.now, pause.now, pause.id]);
}

export async function recordProviderError(
  q: Queryable,
  error: { id: number; error: string; now: number },
): Promise<void> {
  await q.run(recordProviderErrorSql, [error.error, error.now, error.now, error.id]);
}
