import { auditAmounts } from '../../domain/audit-amounts.js';
import { fail, ok } from '../../domain/errors.js';
import { recentAuditEntries } from '../../store/audit-log.js';
import { findUsernames } from '../../store/users.js';
import type { Context } from '../context.js';
import { type Keyset, rowWindow } from '../keyset.js';

export const AUDIT_PAGE_SIZE = 100;

/** `user:3` → 3; anything else (`cli`, `order:7`…) → null. */
const userIdOf = (label: string): number | null => {
  const match = /^user:(\d{1,15})$/.exec(label);
  return match === null ? null : Number(match[1]);
};

/**
 * The audit log, newest first, in words the admin page shows: who by name (an actor recorded as
 * `user:2 as user:5` is "owner as alice"), the user a `user:N` target names, the money in the details.
 */
export async function listAudit(ctx: Context, page = 1, keyset?: Keyset) {
  if (!Number.isSafeInteger(page) || page < 1 || page > 100_000) {
    return fail({ code: 'INVALID_INPUT', field: 'page', reason: 'a whole number from 1' });
  }
  const rows = await recentAuditEntries(ctx.db, rowWindow(keyset, page, AUDIT_PAGE_SIZE));
  const actorParts = (actor: string) => actor.split(' as ');
  const ids = new Set<number>();
  for (const row of rows) {
    for (const label of [...actorParts(row.actor), row.target]) {
      const id = userIdOf(label);
      if (id !== null) ids.add(id);
    }
  }
  const names = await findUsernames(ctx.db, [...ids]);
  const nameOf = (label: string): string | null => {
    const id = userIdOf(label);
    return id === null ? null : (names.get(id) ?? `user #${id}`);
  };
  const actorName = (actor: string): string =>
    actor === 'cli'
      ? 'the command line'
      : actor === 'system'
        ? 'the panel'
        : actorParts(actor)
            .map((part) => {
              const token = / token:(.+)$/.exec(part);
              const who = token === null ? part : part.slice(0, token.index);
              const name = nameOf(who) ?? who;
              return token === null ? name : `${name} (token ${token[1]})`;
            })
            .join(' as ');
  return ok({
    entries: rows.map((row) => ({
      id: row.id,
      actor: row.actor,
      actorName: actorName(row.actor),
      action: row.action,
      target: row.target,
      targetName: nameOf(row.target),
      amounts: auditAmounts(row.action, row.details),
      details: row.details,
      at: new Date(row.createdAt).toISOString(),
    })),
    page,
  });
}
