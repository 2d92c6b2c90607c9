import type { Queryable } from '../store/database.js';
import { insertAuditEntry } from '../store/audit-log.js';
import { type Context, actorLabel } from './context.js';

/** Records an admin action in the caller's transaction. */
export function recordAudit(
  tx: Queryable,
  ctx: Context,
  action: string,
  target: string,
  details: Readonly<Record<string, unknown>>,
): Promise<void> {
  return insertAuditEntry(tx, {
    actor: actorLabel(ctx.actor),
    action,
    target,
    details,
    now: ctx.clock.now(),
  });
}
