import { sql } from '../../store/database.js';
import { pendingMigrations } from '../../store/migrations.js';
import type { Context } from '../context.js';

export type Readiness =
  { readonly ready: true } | { readonly ready: false; readonly reason: string; readonly error?: unknown };

const ping = sql('SELECT 1 AS one');

/**
 * Ready when the database answers, has every migration this build knows, and can still make a
 * write durable (SQLite: no WAL sync has failed since the server started). The reason is meant
 * for the caller (a load balancer, an operator): it names the condition, never an internal detail;
 * `error`, when there is one, is for the log.
 */
export async function checkReadiness(ctx: Context): Promise<Readiness> {
  const lost = ctx.db.durabilityLost;
  if (lost) return { ready: false, reason: 'database writes not durable', error: lost };
  try {
    await ctx.db.get(ping);
  } catch (error) {
    return { ready: false, reason: 'database unreachable', error };
  }
  let pending: string[];
  try {
    pending = await pendingMigrations(ctx.db);
  } catch (error) {
    return { ready: false, reason: 'database not migrated', error };
  }
  if (pending.length > 0) {
    const count = pending.length === 1 ? '1 migration' : `${pending.length} migrations`;
    return { ready: false, reason: `${count} not applied` };
  }
  return { ready: true };
}
